using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Plugboard.Client;

/// <summary>A connection's credentials, one record per connection type. <see cref="ToString"/> never shows
/// them, so a value logged by mistake leaks nothing.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SecretTextValue), "SECRET_TEXT")]
[JsonDerivedType(typeof(BasicAuthValue), "BASIC_AUTH")]
[JsonDerivedType(typeof(CustomAuthValue), "CUSTOM_AUTH")]
[JsonDerivedType(typeof(NoAuthValue), "NO_AUTH")]
[JsonDerivedType(typeof(OAuth2Value), "OAUTH2")]
[JsonDerivedType(typeof(CloudOAuth2Value), "CLOUD_OAUTH2")]
[JsonDerivedType(typeof(PlatformOAuth2Value), "PLATFORM_OAUTH2")]
public abstract record ConnectionValue
{
    private protected ConnectionValue(ConnectionType type) => Type = type;

    /// <summary>The connection type this value is for (written as the JSON discriminator <c>type</c>).</summary>
    [JsonIgnore]
    public ConnectionType Type { get; }

    /// <summary>The type only; the credentials are never printed.</summary>
    public sealed override string ToString() => $"{GetType().Name} {{ Type = {Type}, <redacted> }}";
}

/// <summary>A single secret, e.g. an API key or bot token.</summary>
/// <param name="SecretText">The secret.</param>
public sealed record SecretTextValue([property: JsonPropertyName("secret_text")] string SecretText) : ConnectionValue(ConnectionType.SecretText);

/// <summary>A username and password.</summary>
/// <param name="Username">The username.</param>
/// <param name="Password">The password.</param>
public sealed record BasicAuthValue(string Username, string Password) : ConnectionValue(ConnectionType.BasicAuth);

/// <summary>The piece's own named properties (e.g. <c>api_key</c>, <c>region</c>).</summary>
/// <param name="Props">The properties, by name.</param>
public sealed record CustomAuthValue(JsonObject Props) : ConnectionValue(ConnectionType.CustomAuth);

/// <summary>No credentials.</summary>
public sealed record NoAuthValue() : ConnectionValue(ConnectionType.NoAuth);

/// <summary>OAuth2 credentials: a code to claim (with the client and redirect URL it was issued for),
/// <c>grant_type</c> <c>client_credentials</c>, or tokens already issued. Plugboard refreshes them.</summary>
public abstract record OAuth2Credentials : ConnectionValue
{
    private protected OAuth2Credentials(ConnectionType type) : base(type)
    {
    }

    /// <summary>An access token already issued.</summary>
    [JsonPropertyName("access_token")] public string? AccessToken { get; init; }

    /// <summary>Its refresh token.</summary>
    [JsonPropertyName("refresh_token")] public string? RefreshToken { get; init; }

    /// <summary>The token type (<c>Bearer</c>).</summary>
    [JsonPropertyName("token_type")] public string? TokenType { get; init; }

    /// <summary>The scopes granted.</summary>
    [JsonPropertyName("scope")] public string? Scope { get; init; }

    /// <summary>The OAuth2 app's client id.</summary>
    [JsonPropertyName("client_id")] public string? ClientId { get; init; }

    /// <summary>The OAuth2 app's client secret.</summary>
    [JsonPropertyName("client_secret")] public string? ClientSecret { get; init; }

    /// <summary>The provider's token endpoint.</summary>
    [JsonPropertyName("token_url")] public string? TokenUrl { get; init; }

    /// <summary>The redirect URL the code was issued for.</summary>
    [JsonPropertyName("redirect_url")] public string? RedirectUrl { get; init; }

    /// <summary>An authorization code to claim.</summary>
    [JsonPropertyName("code")] public string? Code { get; init; }

    /// <summary>The PKCE code verifier sent with the code.</summary>
    [JsonPropertyName("code_challenge")] public string? CodeChallenge { get; init; }

    /// <summary>A provider from the catalogue (e.g. <c>slack</c>), instead of token_url.</summary>
    [JsonPropertyName("provider")] public string? Provider { get; init; }

    /// <summary>Seconds the access token lives.</summary>
    [JsonPropertyName("expires_in")] public double? ExpiresIn { get; init; }

    /// <summary>When the tokens were issued, Unix seconds.</summary>
    [JsonPropertyName("claimed_at")] public double? ClaimedAt { get; init; }

    /// <summary>The rest of the provider's token answer.</summary>
    [JsonPropertyName("data")] public JsonObject? Data { get; init; }

    /// <summary>Values for the provider's {prop} placeholders.</summary>
    [JsonPropertyName("props")] public JsonObject? Props { get; init; }

    /// <summary><c>HEADER</c> or <c>BODY</c>: how the client authenticates at the token endpoint.</summary>
    [JsonPropertyName("authorization_method")] public string? AuthorizationMethod { get; init; }

    /// <summary><c>authorization_code</c> (default) or <c>client_credentials</c>.</summary>
    [JsonPropertyName("grant_type")] public string? GrantType { get; init; }
}

/// <summary>OAuth2 with the SaaS's own OAuth2 app.</summary>
public sealed record OAuth2Value() : OAuth2Credentials(ConnectionType.OAuth2);

/// <summary>OAuth2 with a cloud-hosted app.</summary>
public sealed record CloudOAuth2Value() : OAuth2Credentials(ConnectionType.CloudOAuth2);

/// <summary>OAuth2 with the platform's OAuth2 app (registered with <c>OAuthApps</c>).</summary>
public sealed record PlatformOAuth2Value() : OAuth2Credentials(ConnectionType.PlatformOAuth2);
