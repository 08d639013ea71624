using System.Net;
using System.Net.Http.Headers;

namespace Plugboard.Bench.Engine;

internal enum Endpoint
{
    Floor,
    Read,
    /// The bench host's constant answer of the same shape: no authentication, no database.
    Bare,
}

/// The engine's side of the load: one HttpClient on one SocketsHttpHandler, keep-alive, a connection
/// per worker at most, the engine token on every request but the bare one (a token would be checked,
/// which is what the bare route leaves out), nothing between it and loopback.
internal sealed class LoadClient : IDisposable
{
    private readonly SocketsHttpHandler _handler;
    private readonly HttpClient _http;
    private readonly HttpClient _anonymous;
    private readonly Uri _floor;
    private readonly Uri _read;
    private readonly Uri _bare;

    public LoadClient(Uri baseAddress, string engineToken, string externalId, int concurrency)
    {
        _handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        };
        _http = new HttpClient(_handler, disposeHandler: false) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        _anonymous = new HttpClient(_handler, disposeHandler: false) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", engineToken);
        var escaped = Uri.EscapeDataString(externalId);
        _floor = new Uri(baseAddress, $"/api/v1/worker/floor/app-connections/{escaped}");
        _read = new Uri(baseAddress, $"/api/v1/worker/app-connections/{escaped}");
        _bare = new Uri(baseAddress, $"/bench/bare/app-connections/{escaped}");
    }

    public Uri UriOf(Endpoint endpoint) => endpoint switch
    {
        Endpoint.Floor => _floor,
        Endpoint.Bare => _bare,
        _ => _read,
    };

    /// The whole body is read before the response counts as served.
    public Task<HttpResponseMessage> GetAsync(Endpoint endpoint, CancellationToken ct) =>
        (endpoint == Endpoint.Bare ? _anonymous : _http).GetAsync(UriOf(endpoint), HttpCompletionOption.ResponseContentRead, ct);

    public void Dispose()
    {
        _http.Dispose();
        _anonymous.Dispose();
        _handler.Dispose();
    }
}
