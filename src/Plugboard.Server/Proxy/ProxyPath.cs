using Plugboard.Server.Http;

namespace Plugboard.Server.Proxy;

/// The upstream URL of a proxied call: the caller's path under the server's base URL, never outside it. A path with
/// `..` or `.` segments, a scheme or `//host`, a backslash, or any of those percent-encoded, is refused.
public static class ProxyPath
{
    private static readonly string[] Escapes = ["..", "//", "\\", "%2e", "%2f", "%5c", "%00", "@"];

    public static Outcome<Uri> Compose(string baseUrl, string? path, QueryString query)
    {
        path ??= "";
        var lowered = path.ToLowerInvariant();
        if (path.Length > 2000 || path.Contains(':', StringComparison.Ordinal) || Escapes.Any(e => lowered.Contains(e, StringComparison.Ordinal)) ||
            path.Split('/').Any(segment => segment is "." or "..") || path.Any(c => char.IsControl(c) || c == ' '))
        {
            return ApiError.Validation("The path must stay under the connection's API base: no '..', '.', '//', ':', '\\\\' or their encodings.", "path");
        }
        var root = baseUrl.TrimEnd('/');
        if (!Uri.TryCreate($"{root}/{path.TrimStart('/')}{query.Value}", UriKind.Absolute, out var url) ||
            !url.AbsoluteUri.StartsWith(root, StringComparison.Ordinal))
        {
            return ApiError.Validation("The path must stay under the connection's API base.", "path");
        }
        return url;
    }
}
