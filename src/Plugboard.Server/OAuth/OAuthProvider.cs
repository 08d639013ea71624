namespace Plugboard.Server.OAuth;

/// One entry of the provider catalogue (oauth-providers.json, or a platform's own entry). URLs and
/// scopes may hold `{prop}` placeholders, filled from the connection's `props` (or `DefaultProps`).
public sealed record OAuthProvider
{
    public required string Name { get; init; }
    public string? DisplayName { get; init; }
    /// Empty for the generic entry: the request supplies the URLs.
    public string AuthorizeUrl { get; init; } = "";
    public string TokenUrl { get; init; } = "";
    /// Where the provider's API lives, for the proxy (it may hold {placeholders} filled from the connection's props).
    public string? ApiBaseUrl { get; init; }
    public IReadOnlyList<string> Scopes { get; init; } = [];
    public string ScopeSeparator { get; init; } = " ";
    public bool Pkce { get; init; } = true;
    /// S256 or plain.
    public string PkceMethod { get; init; } = "S256";
    /// How the client authenticates at the token URL: BODY (client_id/client_secret fields) or HEADER (HTTP Basic).
    public string ClientAuthMethod { get; init; } = "BODY";
    /// Extra query parameters of the authorization URL; they override the standard ones ("prompt": "omit" removes prompt).
    public IReadOnlyDictionary<string, string> AuthorizeParams { get; init; } = new Dictionary<string, string>();
    /// Extra form fields sent with every token request (code exchange and refresh).
    public IReadOnlyDictionary<string, string> TokenParams { get; init; } = new Dictionary<string, string>();
    /// Values for placeholders the connection's props leave out (for example Microsoft's tenant).
    public IReadOnlyDictionary<string, string> DefaultProps { get; init; } = new Dictionary<string, string>();
    /// Assumed access-token lifetime when the provider sends no expires_in (1 hour when unset).
    public int? DefaultTokenLifetimeSeconds { get; init; }
    /// Piece names served by this provider, besides `@activepieces/piece-<name>` and `<name>` itself.
    public IReadOnlyList<string> Pieces { get; init; } = [];
    public string? Docs { get; init; }

    public const int FallbackLifetimeSeconds = 3600;

    public int LifetimeSeconds => DefaultTokenLifetimeSeconds ?? FallbackLifetimeSeconds;

    public bool Serves(string pieceName) =>
        pieceName == Name || pieceName == $"@activepieces/piece-{Name}" || Pieces.Contains(pieceName);
}
