using Microsoft.AspNetCore.Http.Features;

namespace Plugboard.Server.Http;

/// A catch-all route value as the client sent it. Routing leaves an encoded slash (%2F) encoded, so an
/// externalId or piece name holding '/' would not match. Kestrel gives the raw request target: the part
/// after `prefix`, decoded exactly once, is the value. A host without one (the in-process test host) gets
/// the routed value with its encoded slashes decoded.
public static class RawRouteValue
{
    public static string After(HttpContext http, string prefix, string routed)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var start = string.IsNullOrEmpty(raw) ? -1 : raw.IndexOf(prefix, StringComparison.Ordinal);
        if (start < 0)
        {
            return routed.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        }
        var rest = raw![(start + prefix.Length)..];
        var query = rest.IndexOf('?', StringComparison.Ordinal);
        return Uri.UnescapeDataString(query < 0 ? rest : rest[..query]);
    }
}
