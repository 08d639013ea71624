using System.Text.Json.Serialization;

namespace Plugboard.Client;

/// <summary>One entry of the OAuth2 provider catalogue, as <see cref="OAuthProvidersClient.UpsertAsync"/> takes it and
/// lists return it. URLs and scopes may hold <c>{prop}</c> placeholders, filled from a connection's props (or
/// <see cref="DefaultProps"/>). A null field is left out of a request and takes the server's default.</summary>
public sealed record OAuthProvider
{
    /// <summary>Its name: 1–64 lower-case letters, digits, '.', '-' or '_'. A platform entry with a built-in name overrides it.</summary>
    public required string Name { get; init; }

    /// <summary>Its name for people.</summary>
    public string? DisplayName { get; init; }

    /// <summary>The provider's authorize URL (empty for the generic entry, whose requests supply it).</summary>
    public string? AuthorizeUrl { get; init; }

    /// <summary>The provider's token URL.</summary>
    public string? TokenUrl { get; init; }

    /// <summary>Where the provider's API lives, for the proxy.</summary>
    public string? ApiBaseUrl { get; init; }

    /// <summary>The scopes asked for by default.</summary>
    public IReadOnlyList<string>? Scopes { get; init; }

    /// <summary>What joins scopes (a space by default).</summary>
    public string? ScopeSeparator { get; init; }

    /// <summary>Whether to use PKCE (true by default).</summary>
    public bool? Pkce { get; init; }

    /// <summary>The PKCE method (S256 by default).</summary>
    public OAuthPkceMethod? PkceMethod { get; init; }

    /// <summary>How the client authenticates at the token URL (BODY by default).</summary>
    public OAuthClientAuthMethod? ClientAuthMethod { get; init; }

    /// <summary>Extra query parameters of the authorization URL.</summary>
    public IReadOnlyDictionary<string, string>? AuthorizeParams { get; init; }

    /// <summary>Extra form fields of every token request.</summary>
    public IReadOnlyDictionary<string, string>? TokenParams { get; init; }

    /// <summary>Values for placeholders a connection's props leave out.</summary>
    public IReadOnlyDictionary<string, string>? DefaultProps { get; init; }

    /// <summary>The access-token lifetime assumed when the provider sends no <c>expires_in</c> (an hour when null).</summary>
    public int? DefaultTokenLifetimeSeconds { get; init; }

    /// <summary>Piece names it serves, besides <c>@activepieces/piece-&lt;name&gt;</c> and <c>&lt;name&gt;</c>.</summary>
    public IReadOnlyList<string>? Pieces { get; init; }

    /// <summary>A link to the provider's documentation.</summary>
    public string? Docs { get; init; }

    /// <summary>The lifetime in effect, in answers (<see cref="DefaultTokenLifetimeSeconds"/> or an hour); the server
    /// ignores it in a request.</summary>
    public int? LifetimeSeconds { get; init; }
}

/// <summary>A catalogue entry and where it comes from.</summary>
/// <param name="Source">Built in, or the platform's own.</param>
/// <param name="Provider">The entry.</param>
public sealed record OAuthProviderEntry(OAuthProviderSource Source, OAuthProvider Provider);

/// <summary>Where a catalogue entry comes from.</summary>
public enum OAuthProviderSource
{
    /// <summary>Plugboard's own catalogue.</summary>
    [JsonStringEnumMemberName("BUILT_IN")] BuiltIn,

    /// <summary>The platform's entry (which overrides a built-in one of the same name).</summary>
    [JsonStringEnumMemberName("PLATFORM")] Platform,
}

/// <summary>The PKCE code challenge method.</summary>
public enum OAuthPkceMethod
{
    /// <summary>SHA-256 of the verifier.</summary>
    [JsonStringEnumMemberName("S256")] S256,

    /// <summary>The verifier itself.</summary>
    [JsonStringEnumMemberName("plain")] Plain,
}

/// <summary>How an OAuth2 client authenticates at the token URL.</summary>
public enum OAuthClientAuthMethod
{
    /// <summary>HTTP Basic.</summary>
    [JsonStringEnumMemberName("HEADER")] Header,

    /// <summary><c>client_id</c> and <c>client_secret</c> form fields.</summary>
    [JsonStringEnumMemberName("BODY")] Body,
}
