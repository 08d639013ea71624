using System.Text.Json.Serialization;

namespace Plugboard.Pieces;

/// <summary>The kinds of auth a piece can accept, as the metadata and the connection value name them.</summary>
public enum PieceAuthType
{
    /// <summary>One secret string (<c>secret_text</c>).</summary>
    [JsonStringEnumMemberName("SECRET_TEXT")] SecretText,

    /// <summary>A username and a password.</summary>
    [JsonStringEnumMemberName("BASIC_AUTH")] BasicAuth,

    /// <summary>A set of props the piece defines (<c>props</c>).</summary>
    [JsonStringEnumMemberName("CUSTOM_AUTH")] CustomAuth,

    /// <summary>An OAuth2 access token, refreshed by the server.</summary>
    [JsonStringEnumMemberName("OAUTH2")] OAuth2,
}

/// <summary>
/// One auth definition a piece accepts. A piece lists zero or more in <see cref="Piece.Auth"/>; none means it
/// needs no connection.
/// </summary>
public sealed class PieceAuth
{
    private PieceAuth(PieceAuthType type, string displayName, string? description, bool required)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        Type = type;
        DisplayName = displayName;
        Description = description;
        Required = required;
    }

    /// <summary>The kind of auth.</summary>
    public PieceAuthType Type { get; }

    /// <summary>The name shown to users.</summary>
    public string DisplayName { get; }

    /// <summary>Help text shown to users.</summary>
    public string? Description { get; }

    /// <summary>Whether a connection is required.</summary>
    public bool Required { get; }

    /// <summary>The props of a <see cref="PieceAuthType.CustomAuth"/> connection; empty for other kinds.</summary>
    public IReadOnlyDictionary<string, PieceProp> Props { get; private init; } = new Dictionary<string, PieceProp>();

    /// <summary>The OAuth2 provider's id in the server's catalogue (e.g. <c>google</c>), if any.</summary>
    public string? Provider { get; private init; }

    /// <summary>The OAuth2 authorization endpoint, when not taken from the provider catalogue.</summary>
    public string? AuthUrl { get; private init; }

    /// <summary>The OAuth2 token endpoint, when not taken from the provider catalogue.</summary>
    public string? TokenUrl { get; private init; }

    /// <summary>The OAuth2 scopes requested.</summary>
    public IReadOnlyList<string> Scope { get; private init; } = [];

    /// <summary>Whether the OAuth2 flow uses PKCE.</summary>
    public bool Pkce { get; private init; }

    /// <summary>A secret string, e.g. an API key.</summary>
    public static PieceAuth SecretText(string displayName, string? description = null, bool required = true) =>
        new(PieceAuthType.SecretText, displayName, description, required);

    /// <summary>A username and a password.</summary>
    public static PieceAuth BasicAuth(string displayName, string? description = null, bool required = true) =>
        new(PieceAuthType.BasicAuth, displayName, description, required);

    /// <summary>A set of props of the piece's choosing, e.g. an API key and a base URL.</summary>
    public static PieceAuth CustomAuth(
        string displayName, IReadOnlyDictionary<string, PieceProp> props, string? description = null, bool required = true)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (props.Values.Any(p => p.Type == PropType.Dropdown))
        {
            throw new ArgumentException("Auth props cannot be DROPDOWNs: their options would need a connection.", nameof(props));
        }
        return new(PieceAuthType.CustomAuth, displayName, description, required) { Props = props };
    }

    /// <summary>
    /// An OAuth2 connection: name a <paramref name="provider"/> of the server's catalogue, or give both
    /// <paramref name="authUrl"/> and <paramref name="tokenUrl"/> (or both).
    /// </summary>
    public static PieceAuth OAuth2(
        string displayName,
        IReadOnlyList<string> scope,
        string? provider = null,
        string? authUrl = null,
        string? tokenUrl = null,
        bool pkce = false,
        string? description = null,
        bool required = true)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (provider is null && (authUrl is null || tokenUrl is null))
        {
            throw new ArgumentException("An OAuth2 auth needs a provider, or both an authUrl and a tokenUrl.", nameof(provider));
        }
        return new(PieceAuthType.OAuth2, displayName, description, required)
        {
            Provider = provider,
            AuthUrl = authUrl,
            TokenUrl = tokenUrl,
            Scope = scope,
            Pkce = pkce,
        };
    }
}
