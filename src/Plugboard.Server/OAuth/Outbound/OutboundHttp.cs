using System.Net;

namespace Plugboard.Server.OAuth.Outbound;

/// The one HttpClient for server-side calls to user-supplied URLs (OAuth token URLs). Every request
/// passes the URL rules, and every connection the address guard in ConnectCallback.
public sealed class OutboundHttp : IDisposable
{
    private static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(2);

    private readonly OutboundOptions options;

    public OutboundHttp(OutboundOptions options)
    {
        this.options = options;
        Client = new HttpClient(new GuardHandler(options, CreateSocketsHandler(options)), disposeHandler: true)
        {
            Timeout = options.Timeout,
            MaxResponseContentBufferSize = options.MaxResponseBytes,
        };
    }

    public HttpClient Client { get; }

    /// Null when the URL may be called, else a short reason that names the host and never a secret.
    public string? RefusalFor(Uri url) => UrlRules.RefusalFor(url, options);

    /// Reads a response body as text, refusing (OutboundRefusedException "response too large") past maxBytes.
    public static Task<string> ReadCappedAsync(HttpResponseMessage response, int maxBytes, CancellationToken ct) =>
        CappedBody.ReadStringAsync(response, maxBytes, ct);

    public void Dispose() => Client.Dispose();

    /// The transport alone, with the connect-time guard but without the URL rules in front of it.
    internal static SocketsHttpHandler CreateSocketsHandler(OutboundOptions options) => new()
    {
        ConnectCallback = (context, ct) => GuardedConnect.ConnectAsync(options, context, ct),
        ConnectTimeout = options.Timeout,
        // A 3xx goes back to the caller: following it would send the request somewhere never checked.
        AllowAutoRedirect = false,
        // A proxy would make the connection to the proxy, not to the address we checked.
        UseProxy = false,
        Proxy = null,
        UseCookies = false,
        Credentials = null,
        // Off so the byte cap counts what arrives, and a small compressed body cannot expand in memory.
        AutomaticDecompression = DecompressionMethods.None,
        // Recycled so a long-lived connection does not pin an address after the name has moved on.
        PooledConnectionLifetime = PooledConnectionLifetime,
    };
}
