namespace Plugboard.Server.Http;

/// A base URL the proxy may call under: absolute http(s), no user info, query or fragment.
public static class ProxyBase
{
    public static bool IsValid(string url) =>
        url.Length <= 2000 && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" &&
        string.IsNullOrEmpty(uri.UserInfo) && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment);
}
