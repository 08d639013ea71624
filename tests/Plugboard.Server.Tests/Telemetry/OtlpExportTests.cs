using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Plugboard.Server.Data;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Server.Tests.Startup;
using Plugboard.Testing.FakeOAuth;

namespace Plugboard.Server.Tests.Telemetry;

/// The real export path: a server process with OTEL_EXPORTER_OTLP_ENDPOINT set posts OTLP/HTTP protobuf to a
/// collector of ours on 127.0.0.1. The test does not decode protobuf: span names, attribute values, scope and
/// metric names are strings, and protobuf writes strings as their UTF-8 bytes, so finding them is enough.
public sealed class OtlpExportTests
{
    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task OtlpEndpointSet_RequestsDatabaseAndTokenCalls_SpansAndMetricsReachTheCollector(DatabaseEngine engine)
    {
        await using var collector = OtlpCollector.Start();
        await using var provider = await FakeOAuthProvider.StartAsync();
        await using var replicas = await Replicas.CreateAsync(engine);
        var server = await replicas.StartAsync("otel", TestKey.New().Base64, new Dictionary<string, string>
        {
            ["PLUGBOARD_OAUTH_ALLOWED_HOSTS"] = "127.0.0.1",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "300",
            ["OTEL_SERVICE_NAME"] = "plugboard-otel-test",
            ["PLUGBOARD_WEBHOOKS_INTERVAL_SECONDS"] = "1",
        });
        var scenario = await ServerScenario.CreateAsync(server);
        await scenario.ReadAsync();
        var clientId = Api.Unique("otel");
        var secret = $"cs-{Guid.NewGuid():N}";
        provider.AddClient(clientId, secret);
        var tokens = provider.IssueTokens(clientId);
        var created = (await scenario.Admin.ApiPostAsync("/api/v1/app-connections", new
        {
            projectId = scenario.ProjectId,
            externalId = Api.Unique("oauth"),
            displayName = "Traced refresh",
            pieceName = "@acme/piece-crm",
            type = "OAUTH2",
            value = new JsonObject
            {
                ["type"] = "OAUTH2", ["access_token"] = tokens.AccessToken, ["refresh_token"] = tokens.RefreshToken,
                ["token_type"] = "Bearer", ["expires_in"] = 3600, ["claimed_at"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3500,
                ["client_id"] = clientId, ["client_secret"] = secret, ["token_url"] = provider.TokenUrl,
                ["redirect_url"] = "https://app.example.com/callback",
            },
        })).AssertStatus(HttpStatusCode.Created);
        (await scenario.Admin.ApiPostAsync($"/api/v1/app-connections/{created.Str("id")}/refresh?force=true", new { })).AssertStatus(HttpStatusCode.OK);
        Assert.True(provider.RefreshCalls >= 1, server.OutputTail());

        string[] spans =
        [
            "plugboard-otel-test",
            // The incoming request (ASP.NET Core's source, with its route).
            "Microsoft.AspNetCore", "/api/v1/projects",
            // The outbound token call (HttpClient's source, its URL).
            "System.Net.Http", provider.TokenUrl,
            // A database command: Npgsql's own source, or ours around SQLite.
            engine == DatabaseEngine.Postgres ? "Npgsql" : "sqlite",
        ];
        string[] metrics = ["plugboard.engine.reads", "plugboard.refreshes", "refreshed", "plugboard.refresh.lag", "plugboard.webhooks.backlog", "http.server.request.duration"];
        await collector.WaitForAsync("/v1/traces", spans, TimeSpan.FromSeconds(20), server);
        await collector.WaitForAsync("/v1/metrics", metrics, TimeSpan.FromSeconds(20), server);
        // The health probes are left out of the traces.
        Assert.DoesNotContain("/health", collector.Text("/v1/traces"), StringComparison.Ordinal);
        Assert.DoesNotContain(scenario.Secret, collector.Text("/v1/traces"), StringComparison.Ordinal);
    }

    /// Accepts OTLP/HTTP posts on a loopback port and keeps their bodies by path.
    private sealed class OtlpCollector : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentDictionary<string, ConcurrentQueue<byte[]>> _bodies = new();
        private readonly Task _loop;

        private OtlpCollector(int port)
        {
            Endpoint = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Endpoint + "/");
            _listener.Start();
            _loop = Task.Run(LoopAsync);
        }

        public string Endpoint { get; }

        public static OtlpCollector Start() => new(ServerProcess.FreePort());

        public string Text(string path) =>
            _bodies.TryGetValue(path, out var bodies) ? string.Join('\n', bodies.Select(b => Encoding.UTF8.GetString(b))) : "";

        public async Task WaitForAsync(string path, string[] expected, TimeSpan timeout, ServerProcess server)
        {
            var until = DateTime.UtcNow + timeout;
            while (true)
            {
                var missing = expected.Where(e => !Text(path).Contains(e, StringComparison.Ordinal)).ToList();
                if (missing.Count == 0)
                {
                    return;
                }
                if (DateTime.UtcNow > until)
                {
                    Assert.Fail($"{path}: never saw {string.Join(", ", missing)} in {(_bodies.TryGetValue(path, out var b) ? b.Count : 0)} posts " +
                        $"(paths seen: {string.Join(", ", _bodies.Keys)})\n{server.OutputTail()}");
                }
                await Task.Delay(100);
            }
        }

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                _bodies.GetOrAdd(context.Request.Url!.AbsolutePath, _ => new()).Enqueue(body.ToArray());
                // An empty Export*ServiceResponse: everything accepted.
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            _listener.Close();
            await _loop;
        }
    }
}
