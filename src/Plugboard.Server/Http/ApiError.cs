using System.Text.Json.Serialization;

namespace Plugboard.Server.Http;

/// The one error body of the API: the Activepieces shape `{statusCode, code, params}`,
/// also carrying RFC 7807 `type/title/status/detail` so problem+json clients read it too.
public sealed record ApiError(
    [property: JsonPropertyName("statusCode")] int StatusCode,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("params")] IReadOnlyDictionary<string, string?> Params)
{
    [JsonPropertyName("type")]
    public string Type => $"https://plugboard.dev/errors/{Code.ToLowerInvariant().Replace('_', '-')}";

    [JsonPropertyName("title")]
    public string Title => Code;

    [JsonPropertyName("status")]
    public int Status => StatusCode;

    [JsonPropertyName("detail")]
    public string? Detail => Params.TryGetValue("message", out var message) ? message : null;

    public static ApiError Validation(string message, string? field = null) =>
        new(400, ErrorCodes.Validation, Pairs(("message", message), ("field", field)));

    public static ApiError NotFound(string entityType, string? entityId, string message) =>
        new(404, ErrorCodes.EntityNotFound, Pairs(("entityType", entityType), ("entityId", entityId), ("message", message)));

    public static ApiError Authentication(string message) =>
        new(401, ErrorCodes.Authentication, Pairs(("message", message)));

    public static ApiError Authorization(string message) =>
        new(403, ErrorCodes.Authorization, Pairs(("message", message)));

    public static ApiError Conflict(string code, string message, params (string Key, string? Value)[] extra) =>
        new(409, code, Pairs([("message", message), .. extra]));

    public static ApiError BadRequest(string code, string message, params (string Key, string? Value)[] extra) =>
        new(400, code, Pairs([("message", message), .. extra]));

    public static ApiError PayloadTooLarge(long limit) =>
        new(413, ErrorCodes.PayloadTooLarge, Pairs(("message", $"The request body is larger than {limit} bytes.")));

    public static ApiError Http(int status, string code, string message) => new(status, code, Pairs(("message", message)));

    public static ApiError Internal() =>
        new(500, ErrorCodes.Internal, Pairs(("message", "An internal error occurred.")));

    private static Dictionary<string, string?> Pairs(params (string Key, string? Value)[] pairs)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            if (value is not null)
            {
                result[key] = value;
            }
        }
        return result;
    }
}

public static class ErrorCodes
{
    public const string Validation = "VALIDATION";
    public const string EntityNotFound = "ENTITY_NOT_FOUND";
    public const string Authentication = "AUTHENTICATION";
    public const string Authorization = "AUTHORIZATION";
    public const string ProjectExternalIdAlreadyExists = "PROJECT_EXTERNAL_ID_ALREADY_EXISTS";
    public const string ConcurrentUpdate = "CONCURRENT_UPDATE";
    public const string SyncConflict = "SYNC_CONFLICT";
    public const string ConnectionNotUsable = "CONNECTION_NOT_USABLE";
    public const string UpstreamUnavailable = "UPSTREAM_UNAVAILABLE";
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";
    public const string TooManyRequests = "TOO_MANY_REQUESTS";
    public const string Internal = "INTERNAL_ERROR";
    public const string InvalidClaim = "INVALID_CLAIM";
    public const string InvalidAppConnection = "INVALID_APP_CONNECTION";
}
