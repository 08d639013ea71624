using System.Text.Json;
using Plugboard.Server.Data.Migrations;
using Plugboard.Server.Http;

namespace Plugboard.Server.Platform;

/// The web origins allowed to embed a platform's Connect screen (`allowedOrigins`): each `scheme://host[:port]`, http or
/// https, no path, query, fragment or user info; normalized (lower case, default port left out) so a comparison with a
/// browser's `event.origin` is a plain string equality. Stored as a JSON array on the platform row.
public static class AllowedOrigins
{
    public const int MaxCount = M0014_EmbedConnect.MaxAllowedOrigins;
    public const int MaxLength = M0014_EmbedConnect.MaxOriginLength;
    public const int MaxStoredLength = M0014_EmbedConnect.MaxAllowedOriginsLength;

    public static IReadOnlyList<string> Parse(string? stored) =>
        string.IsNullOrEmpty(stored) ? [] : JsonSerializer.Deserialize<List<string>>(stored) ?? [];

    public static string Store(IReadOnlyList<string> origins) => JsonSerializer.Serialize(origins);

    /// The normalized, de-duplicated list, or the validation error naming <paramref name="field"/>.
    public static Outcome<List<string>> Check(IReadOnlyList<string?>? origins, string field = "allowedOrigins")
    {
        if (origins is null)
        {
            return new List<string>();
        }
        if (origins.Count > MaxCount)
        {
            return ApiError.Validation($"{field} holds at most {MaxCount} origins.", field);
        }
        var result = new List<string>();
        foreach (var origin in origins)
        {
            if (Normalize(origin) is not { } normalized)
            {
                return ApiError.Validation(
                    $"{field} must be origins such as https://app.example.com or http://127.0.0.1:5080 (scheme, host and port only, at most {MaxLength} characters).",
                    field);
            }
            if (!result.Contains(normalized, StringComparer.Ordinal))
            {
                result.Add(normalized);
            }
        }
        return result;
    }

    /// `scheme://host[:port]` in the form browsers give in `event.origin`, or null when <paramref name="origin"/> is not one.
    public static string? Normalize(string? origin)
    {
        if (origin is null || origin.Length is 0 or > MaxLength || origin.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) ||
            !Uri.TryCreate(origin.TrimEnd('/'), UriKind.Absolute, out var uri) ||
            uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0 || uri.Host.Length == 0 ||
            uri.PathAndQuery != "/" || uri.Fragment.Length > 0 || origin.TrimEnd('/').Count(c => c == '/') != 2)
        {
            return null;
        }
        var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.DnsSafeHost}]" : uri.IdnHost;
        return uri.IsDefaultPort ? $"{uri.Scheme}://{host.ToLowerInvariant()}" : $"{uri.Scheme}://{host.ToLowerInvariant()}:{uri.Port}";
    }
}
