using System.Net;
using System.Net.Http.Headers;

namespace Plugboard.Bench.Engine;

internal enum Endpoint
{
    Floor,
    Read,
}

/// The engine's side of the load: one HttpClient on one SocketsHttpHandler, keep-alive, a connection
/// per worker at most, the engine token on every request, nothing between it and loopback.
internal sealed class LoadClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _floor;
    private readonly Uri _read;

    public LoadClient(Uri baseAddress, string engineToken, string externalId, int concurrency)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        };
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", engineToken);
        var escaped = Uri.EscapeDataString(externalId);
        _floor = new Uri(baseAddress, $"/api/v1/worker/floor/app-connections/{escaped}");
        _read = new Uri(baseAddress, $"/api/v1/worker/app-connections/{escaped}");
    }

    public Uri UriOf(Endpoint endpoint) => endpoint == Endpoint.Floor ? _floor : _read;

    /// The whole body is read before the response counts as served.
    public Task<HttpResponseMessage> GetAsync(Endpoint endpoint, CancellationToken ct) =>
        _http.GetAsync(UriOf(endpoint), HttpCompletionOption.ResponseContentRead, ct);

    public void Dispose() => _http.Dispose();
}
