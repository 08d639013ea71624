using System.Net;

namespace Plugboard.Server.OAuth.Outbound;

/// The cheap checks on a URL, made before anything is sent and again on every request the guarded
/// client sends. Names are left to the connect-time guard, which resolves them.
internal static class UrlRules
{
    public static string? RefusalFor(Uri url, OutboundOptions options)
    {
        if (!url.IsAbsoluteUri)
        {
            return "the URL must be absolute";
        }
        if (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
        {
            return $"scheme '{url.Scheme}' is not allowed; use https";
        }
        var host = OutboundOptions.HostKey(url.IdnHost);
        if (host.Length == 0)
        {
            return "the URL has no host";
        }
        // The user info is never echoed: it is most likely a credential.
        if (url.UserInfo.Length > 0)
        {
            return $"the URL for host {host} must not carry user info";
        }
        var allowListed = options.IsAllowListed(host);
        // Uri has already turned 2130706433, 0x7f.1, 0177.0.0.1 and 127.1 into 127.0.0.1.
        if (!allowListed
            && url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            && IPAddress.TryParse(url.Host.Trim('[', ']'), out var address)
            && AddressRules.IsForbidden(address))
        {
            return $"host {host} is a private, loopback or reserved address";
        }
        if (url.Scheme == Uri.UriSchemeHttp && !allowListed)
        {
            return $"host {host} requires https";
        }
        return null;
    }
}
