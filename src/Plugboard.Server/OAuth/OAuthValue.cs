using System.Text.Json.Nodes;

namespace Plugboard.Server.OAuth;

/// Typed access to a stored OAuth2 connection value (reference §3.2). The JSON object stays the
/// source of truth, so fields this code does not know survive a refresh untouched.
public sealed class OAuthValue(JsonObject json)
{
    public const string AuthorizationCode = "authorization_code";
    public const string ClientCredentials = "client_credentials";
    public const string Redacted = "(REDACTED)";

    public JsonObject Json { get; } = json;

    public static OAuthValue Parse(string json) => new(JsonNode.Parse(json)!.AsObject());

    public string? AccessToken => Text("access_token");
    public string? RefreshToken => Text("refresh_token");
    public string? Code => Text("code");
    public string? CodeVerifier => Text("code_challenge");
    public string? ClientId => Text("client_id");
    public string? ClientSecret => Text("client_secret");
    public string? TokenUrl => Text("token_url");
    public string? RedirectUrl => Text("redirect_url");
    public string? Scope => Text("scope");
    public string? Provider => Text("provider");
    public string GrantType => Text("grant_type") ?? AuthorizationCode;
    public string? AuthorizationMethod => Text("authorization_method");
    public long? ExpiresIn => Number("expires_in");
    public long? ClaimedAt => Number("claimed_at");
    public bool IsClientCredentials => GrantType == ClientCredentials;

    public IReadOnlyDictionary<string, string> Props =>
        Json["props"] is JsonObject props
            ? props.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.ToString())
            : new Dictionary<string, string>();

    /// Can a new access token be had without the user: a refresh token, or a client_credentials grant.
    public bool CanRenew => IsClientCredentials || RefreshToken is not null;

    public string ToJsonString() => Json.ToJsonString();

    private string? Text(string field) =>
        Json[field] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    /// Numbers parsed from JSON and numbers set by code (a long) read the same way.
    private long? Number(string field) =>
        Json[field] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
            ? v.TryGetValue<long>(out var l) ? l : v.TryGetValue<int>(out var i) ? i : (long)v.GetValue<double>()
            : null;
}
