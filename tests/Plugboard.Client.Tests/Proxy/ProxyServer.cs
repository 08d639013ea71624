using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Plugboard.Client.Tests.Infrastructure;
using Plugboard.Testing.FakeUpstream;

namespace Plugboard.Client.Tests.Proxy;

/// A server of its own that may call 127.0.0.1 (the shared one may not), and a stand-in API there that records
/// what it receives.
public sealed class ProxyServer : IAsyncLifetime
{
    public PlugboardServer Server { get; private set; } = null!;
    public FakeUpstream Upstream { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Upstream = await FakeUpstream.StartAsync();
        Server = await PlugboardServer.StartAsync(postgres: false, new Dictionary<string, string> { ["PLUGBOARD_OUTBOUND_ALLOWED_HOSTS"] = "127.0.0.1" });
    }

    /// A connection of <paramref name="projectId"/> whose API base is the stand-in's <c>/v1</c>, carrying
    /// <paramref name="secret"/> as a bearer token: a connection definition with a proxy base, set up with plain HTTP
    /// (definitions are not this SDK area's). Returns its externalId (the definition's stable key).
    public async Task<string> ConnectAsync(string projectId, string secret)
    {
        var key = "px-" + Guid.NewGuid().ToString("N")[..12];
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PlugboardServer.AdminKey);
        using var definition = await http.PostAsJsonAsync("api/v1/connection-definitions", new
        {
            stableKey = key, displayName = "API", pieceName = "@acme/piece-api", type = "SECRET_TEXT", credentials = "CUSTOMER",
            proxyBaseUrl = Upstream.BaseUrl + "/v1",
        });
        Assert.Equal(HttpStatusCode.Created, definition.StatusCode);
        using var connection = await http.PostAsJsonAsync("api/v1/app-connections", new
        {
            projectId, definition = key, value = new { type = "SECRET_TEXT", secret_text = secret },
        });
        Assert.Equal(HttpStatusCode.Created, connection.StatusCode);
        return key;
    }

    public ReceivedRequest[] ReceivedAt(string path) => Upstream.Received.Where(r => r.Path == path).ToArray();

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
        if (Upstream is not null)
        {
            await Upstream.DisposeAsync();
        }
    }
}
