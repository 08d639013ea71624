using System.Net;
using System.Net.Http.Headers;

namespace Plugboard.Bench.Engine;

/// The load's side of the wire: one SocketsHttpHandler (keep-alive, a connection per worker at most, nothing
/// between it and loopback) under three clients: the engine token for the read and the floor, the platform
/// key for the lists, nothing for the bare route (a token would be checked, which is what it leaves out).
internal sealed class LoadClient : IDisposable
{
    private readonly SocketsHttpHandler _handler;
    private readonly HttpClient _engine;
    private readonly HttpClient _platform;
    private readonly HttpClient _anonymous;
    private readonly Dictionary<Endpoint, Uri> _uris;

    public LoadClient(Uri baseAddress, EngineTarget target, string platformKey, int concurrency)
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
        _engine = Client(baseAddress, target.Token);
        _platform = Client(baseAddress, platformKey);
        _anonymous = Client(baseAddress, null);
        _uris = Endpoints.All.ToDictionary(e => e, e => new Uri(baseAddress, PathAndQuery(e, target)));
    }

    /// The path and query of an endpoint's request, also for the wrk lines of the report.
    public static string PathAndQuery(Endpoint endpoint, EngineTarget target) =>
        PathAndQuery(endpoint, endpoint switch
        {
            Endpoint.ReadInherited => target.InheritedExternalId,
            Endpoint.Proxy => target.ProxiedExternalId,
            _ => target.ExternalId,
        }, target.ProjectId);

    public static string PathAndQuery(Endpoint endpoint, string externalId, string projectId) => endpoint switch
    {
        Endpoint.Bare => $"/bench/bare/app-connections/{Uri.EscapeDataString(externalId)}",
        Endpoint.Floor => $"/api/v1/worker/floor/app-connections/{Uri.EscapeDataString(externalId)}",
        Endpoint.Read or Endpoint.ReadInherited => $"/api/v1/worker/app-connections/{Uri.EscapeDataString(externalId)}",
        Endpoint.Direct => "/bench/upstream/invoices?limit=5",
        Endpoint.Proxy => $"/api/v1/worker/proxy/{Uri.EscapeDataString(externalId)}/invoices?limit=5",
        _ => $"/api/v1/app-connections?projectId={Uri.EscapeDataString(projectId)}&limit={endpoint.Limit()}",
    };

    public Uri UriOf(Endpoint endpoint) => _uris[endpoint];

    /// The whole body is read before the response counts as served.
    public Task<HttpResponseMessage> GetAsync(Endpoint endpoint, CancellationToken ct) =>
        ClientOf(endpoint).GetAsync(endpoint == Endpoint.List10Fresh ? Fresh(UriOf(endpoint)) : UriOf(endpoint), HttpCompletionOption.ResponseContentRead, ct);

    private long _fresh;

    /// The same page with a parameter the server ignores, different on every request.
    private Uri Fresh(Uri uri) => new($"{uri}&fresh={Interlocked.Increment(ref _fresh)}");

    private HttpClient ClientOf(Endpoint endpoint) => endpoint switch
    {
        Endpoint.Bare or Endpoint.Direct => _anonymous,
        Endpoint.Floor or Endpoint.Read or Endpoint.ReadInherited or Endpoint.Proxy => _engine,
        _ => _platform,
    };

    private HttpClient Client(Uri baseAddress, string? bearer)
    {
        var http = new HttpClient(_handler, disposeHandler: false) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (bearer is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return http;
    }

    public void Dispose()
    {
        _engine.Dispose();
        _platform.Dispose();
        _anonymous.Dispose();
        _handler.Dispose();
    }
}
