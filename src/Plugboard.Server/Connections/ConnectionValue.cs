using System.Text.Json;
using System.Text.Json.Nodes;
using Plugboard.Server.Http;

namespace Plugboard.Server.Connections;

/// Checks a request's `value` against its type's field shapes (reference §3.1) and gives back the
/// JSON that is encrypted and stored. Messages name fields, never echo values.
public static class ConnectionValue
{
    private const int MaxSecretLength = 64 * 1024;
    private static readonly string[] OAuthStringFields =
        ["refresh_token", "token_type", "scope", "client_id", "client_secret", "token_url", "redirect_url", "code", "code_challenge", "provider"];

    public static Outcome<string> Parse(ConnectionType type, JsonElement? value, TimeProvider time)
    {
        if (value is not { ValueKind: JsonValueKind.Object } element)
        {
            return Fail("value is required and must be an object.", "value");
        }
        var node = JsonNode.Parse(element.GetRawText())!.AsObject();
        var wireType = WireEnum<ConnectionType>.Name(type);
        if (node["type"] is not JsonValue typeValue || !typeValue.TryGetValue<string>(out var innerType) || innerType != wireType)
        {
            return Fail($"value.type must equal type ({wireType}).", "value.type");
        }
        var error = type switch
        {
            ConnectionType.SecretText => RequiredString(node, "secret_text"),
            ConnectionType.BasicAuth => RequiredString(node, "username") ?? RequiredString(node, "password"),
            ConnectionType.CustomAuth => node["props"] is JsonObject ? null : ApiError.Validation("value.props is required and must be an object.", "value.props"),
            ConnectionType.NoAuth => null,
            _ => OAuthTokens(node, time),
        };
        return error is null ? node.ToJsonString() : error;
    }

    /// Either tokens already issued (access_token, as the seed's OAuth2 example sends them) or what a claim
    /// needs (a code, or grant_type client_credentials); the claim itself is OAuthClaim's. claimed_at is kept
    /// in seconds (the seed sends Date.now() milliseconds); grant_type is normalised to lower case.
    private static ApiError? OAuthTokens(JsonObject node, TimeProvider time)
    {
        ApiError? error = null;
        foreach (var field in OAuthStringFields)
        {
            error ??= OptionalString(node, field);
        }
        error ??= OptionalString(node, "access_token");
        error ??= OptionalNumber(node, "expires_in") ?? OptionalNumber(node, "claimed_at");
        error ??= OptionalObject(node, "data") ?? OptionalObject(node, "props");
        error ??= OptionalChoice(node, "authorization_method", "HEADER", "BODY");
        error ??= GrantType(node);
        if (error is not null)
        {
            return error;
        }
        if (node["access_token"] is null)
        {
            return node["code"] is null && node["grant_type"]?.GetValue<string>() != "client_credentials"
                ? ApiError.Validation(
                    "value.code is required: send the authorization code to claim (or grant_type client_credentials), or the tokens already issued (access_token, refresh_token, expires_in, claimed_at).",
                    "value.code")
                : null;
        }
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var claimedAt = node["claimed_at"]?.GetValue<double>() ?? now;
        // A value past the year 5000 in seconds is a millisecond timestamp.
        node["claimed_at"] = (long)(claimedAt > 100_000_000_000 ? claimedAt / 1000 : claimedAt);
        return null;
    }

    private static ApiError? GrantType(JsonObject node)
    {
        if (node["grant_type"] is null)
        {
            return null;
        }
        if (node["grant_type"] is not JsonValue grant || !grant.TryGetValue<string>(out var grantType))
        {
            return ApiError.Validation("value.grant_type must be a string.", "value.grant_type");
        }
        var normalized = grantType.ToLowerInvariant();
        if (normalized is not ("authorization_code" or "client_credentials"))
        {
            return ApiError.Validation("value.grant_type must be authorization_code or client_credentials.", "value.grant_type");
        }
        node["grant_type"] = normalized;
        return null;
    }

    private static ApiError? RequiredString(JsonObject node, string field) =>
        node[field] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0
            ? s.Length > MaxSecretLength ? ApiError.Validation($"value.{field} is longer than {MaxSecretLength} characters.", $"value.{field}") : null
            : ApiError.Validation($"value.{field} is required and must be a non-empty string.", $"value.{field}");

    private static ApiError? OptionalString(JsonObject node, string field) =>
        node[field] is null ? null : RequiredString(node, field);

    private static ApiError? OptionalNumber(JsonObject node, string field) =>
        node[field] switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.GetValue<double>() >= 0 => null,
            _ => ApiError.Validation($"value.{field} must be a non-negative number.", $"value.{field}"),
        };

    private static ApiError? OptionalObject(JsonObject node, string field) =>
        node[field] is null or JsonObject ? null : ApiError.Validation($"value.{field} must be an object.", $"value.{field}");

    private static ApiError? OptionalChoice(JsonObject node, string field, params string[] choices) =>
        node[field] is null || (node[field] is JsonValue v && v.TryGetValue<string>(out var s) && choices.Contains(s))
            ? null
            : ApiError.Validation($"value.{field} must be one of {string.Join(", ", choices)}.", $"value.{field}");

    private static ApiError Fail(string message, string field) => ApiError.Validation(message, field);
}
