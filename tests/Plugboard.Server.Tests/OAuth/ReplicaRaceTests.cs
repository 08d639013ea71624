using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plugboard.Server.Data;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Server.Tests.Startup;
using Plugboard.Testing.FakeOAuth;

namespace Plugboard.Server.Tests.OAuth;

/// Two server processes on one database racing to refresh the same expiring tokens. The fake provider
/// rotates refresh tokens, so a second refresh would reuse a spent token, get invalid_grant and turn the
/// connection to ERROR: "one provider call and still ACTIVE" is the whole claim. Each test has its own
/// database and its own pair of processes.
public abstract class ReplicaRaceTests(DatabaseEngine engine) : IAsyncLifetime
{
    private const string RefreshGrant = "refresh_token";
    // Issued 3500 s ago, living 3600 s: past the refresh margin, so due at once, and not yet expired.
    private const int ExpiresIn = 3600;
    private const int Age = 3500;

    private readonly Dictionary<ServerProcess, long> _startedAtLine = [];
    private FakeOAuthProvider _provider = null!;
    private Replicas _replicas = null!;

    public async ValueTask InitializeAsync()
    {
        _provider = await FakeOAuthProvider.StartAsync();
        // A slow provider holds the lease longer, so the replicas' requests pile up on it.
        _provider.ResponseDelay = TimeSpan.FromMilliseconds(300);
        _replicas = await Replicas.CreateAsync(engine);
    }

    public async ValueTask DisposeAsync()
    {
        // Either may be missing when InitializeAsync failed; its exception is the one to see.
        if (_replicas is not null)
        {
            await _replicas.DisposeAsync();
        }
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }
    }

    [Fact]
    public async Task Refresh_TwoServerProcessesRaceOnOneExpiringConnection_OneProviderCallAndNoError()
    {
        var (a, b) = await StartReplicasAsync(worker: false);
        var (clientId, secret) = NewClient();
        var adminA = Client(a);
        var adminB = Client(b);
        var projectId = await adminA.CreateProjectAsync();
        var created = await adminA.ApiPostAsync("/api/v1/app-connections", new
        {
            projectId,
            externalId = Api.Unique("oauth"),
            displayName = "Replica race",
            pieceName = "@acme/piece-crm",
            type = "OAUTH2",
            value = DueValue(clientId, secret),
        });
        created.AssertStatus(HttpStatusCode.Created);
        var id = created.Str("id");
        var expiresBefore = ExpiresAt(created.Body);

        var answers = await FireTogetherAsync([
            .. Enumerable.Repeat((adminA, $"/api/v1/app-connections/{id}/refresh"), 20),
            .. Enumerable.Repeat((adminB, $"/api/v1/app-connections/{id}/refresh"), 20)]);

        AssertAllRefreshed(answers, expiresBefore, clientId);
        var calls = RefreshCalls(clientId);
        Assert.True(calls.Count == 1, $"expected 1 refresh call, the provider saw {calls.Count}.\n{Diagnostics(clientId)}");
        Assert.True(calls[0] is { Status: 200, Error: null }, $"the refresh call failed.\n{Diagnostics(clientId)}");

        var read = (await adminB.ApiGetAsync($"/api/v1/app-connections/{id}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("ACTIVE", read.Str("status"));
        Assert.True(ExpiresAt(read.Body) > expiresBefore, $"expiresAt did not move: {read.Raw}");

        // A stored refresh token that was not the rotated one would now be refused: invalid_grant, ERROR.
        var forced = (await adminB.ApiPostAsync($"/api/v1/app-connections/{id}/refresh?force=true", new { })).AssertStatus(HttpStatusCode.OK);
        Assert.True(forced.Str("status") == "ACTIVE", $"the forced refresh left: {forced.Raw}\n{Diagnostics(clientId)}");
        calls = RefreshCalls(clientId);
        Assert.Equal(2, calls.Count);
        Assert.True(calls.All(c => c is { Status: 200, Error: null }), Diagnostics(clientId));
        Assert.Equal(calls[0].FamilyId, calls[1].FamilyId);
        AssertNoErrorsLogged();
    }

    [Fact]
    public async Task Refresh_TwoServerProcessesRaceOnGlobalConnectionSharedByThreeProjects_OneProviderCallAndNoError()
    {
        var (a, b) = await StartReplicasAsync(worker: false);
        var (clientId, secret) = NewClient();
        var adminA = Client(a);
        var projectIds = new List<string>();
        var callers = new List<HttpClient> { adminA, Client(b) };
        for (var i = 0; i < 3; i++)
        {
            var projectId = await adminA.CreateProjectAsync();
            projectIds.Add(projectId);
            var key = (await adminA.ApiPostAsync("/api/v1/api-keys", new { displayName = $"project key {i}", projectId })).AssertStatus(HttpStatusCode.Created);
            callers.Add(Client(a, key.Str("value")));
            callers.Add(Client(b, key.Str("value")));
        }
        var created = await adminA.ApiPostAsync("/api/v1/global-connections", new
        {
            displayName = "Shared CRM",
            pieceName = "@acme/piece-crm",
            type = "OAUTH2",
            value = DueValue(clientId, secret),
            externalId = Api.Unique("global"),
            projectIds,
        });
        created.AssertStatus(HttpStatusCode.Created);
        var id = created.Str("id");
        var expiresBefore = ExpiresAt(created.Body);

        // Every project's key and the platform key, on both replicas: one row, so one lease and one call.
        var answers = await FireTogetherAsync([.. callers.SelectMany(c => Enumerable.Repeat((c, $"/api/v1/app-connections/{id}/refresh"), 5))]);

        AssertAllRefreshed(answers, expiresBefore, clientId);
        var calls = RefreshCalls(clientId);
        Assert.True(calls.Count == 1, $"expected 1 refresh call, the provider saw {calls.Count}.\n{Diagnostics(clientId)}");
        Assert.True(calls[0] is { Status: 200, Error: null }, $"the refresh call failed.\n{Diagnostics(clientId)}");

        var read = (await Client(b).ApiGetAsync($"/api/v1/global-connections/{id}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("ACTIVE", read.Str("status"));
        Assert.True(ExpiresAt(read.Body) > expiresBefore, $"expiresAt did not move: {read.Raw}");
        Assert.Equal(projectIds.Order(), read.Body.GetProperty("projectIds").EnumerateArray().Select(p => p.GetString()!).Order());

        var forced = (await callers[^1].ApiPostAsync($"/api/v1/app-connections/{id}/refresh?force=true", new { })).AssertStatus(HttpStatusCode.OK);
        Assert.True(forced.Str("status") == "ACTIVE", $"the forced refresh left: {forced.Raw}\n{Diagnostics(clientId)}");
        calls = RefreshCalls(clientId);
        Assert.Equal(2, calls.Count);
        Assert.True(calls.All(c => c is { Status: 200, Error: null }), Diagnostics(clientId));
        AssertNoErrorsLogged();
    }

    [Fact]
    public async Task RefreshWorker_OnInTwoServerProcessesWith30DueConnections_EachRefreshedOnceAndNoneError()
    {
        const int Count = 30;
        var (a, b) = await StartReplicasAsync(worker: true);
        var adminA = Client(a);
        var adminB = Client(b);
        var projectId = await adminA.CreateProjectAsync();
        // Written through both replicas at once: each one's worker meets rows the other wrote.
        var connections = await Task.WhenAll(Enumerable.Range(0, Count).Select(async i =>
        {
            var (clientId, secret) = NewClient();
            var created = await (i % 2 == 0 ? adminA : adminB).ApiPostAsync("/api/v1/app-connections", new
            {
                projectId,
                externalId = Api.Unique("oauth"),
                displayName = $"Worker race {i}",
                pieceName = "@acme/piece-crm",
                type = "OAUTH2",
                value = DueValue(clientId, secret),
            });
            created.AssertStatus(HttpStatusCode.Created);
            return (Id: created.Str("id"), ClientId: clientId, ExpiresBefore: ExpiresAt(created.Body));
        }));

        var refreshed = connections.Select(c => WhenRefreshedAsync(c.Id)).ToList();
        try
        {
            await Task.WhenAll(refreshed).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            // Reported below, with the connections still waiting.
        }
        var pending = connections.Where((_, i) => !refreshed[i].IsCompleted).ToList();
        Assert.True(pending.Count == 0, $"{pending.Count} of {Count} connections were not refreshed within 30 s.\n{Diagnostics()}");
        // A second refresh of a connection would be in flight now (the provider takes 300 ms): let it land before counting.
        await _provider.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(10));

        var perClient = connections.ToDictionary(c => c.ClientId, c => RefreshCalls(c.ClientId));
        var wrong = perClient.Where(p => p.Value.Count != 1).Select(p => $"{p.Key}: {p.Value.Count}").ToList();
        Assert.True(wrong.Count == 0, $"connections not refreshed exactly once: {string.Join(", ", wrong)}.\n{Diagnostics()}");
        Assert.True(perClient.Values.All(calls => calls[0] is { Status: 200, Error: null }), Diagnostics());
        Assert.Equal(Count, perClient.Values.Select(calls => calls[0].FamilyId).Distinct().Count());
        Assert.Equal(Count, _provider.RefreshCalls);

        foreach (var (id, _, expiresBefore) in connections)
        {
            var read = (await adminA.ApiGetAsync($"/api/v1/app-connections/{id}")).AssertStatus(HttpStatusCode.OK);
            Assert.True(read.Str("status") == "ACTIVE", $"{id}: {read.Raw}\n{Diagnostics()}");
            Assert.True(ExpiresAt(read.Body) > expiresBefore, $"{id}: {read.Raw}");
        }
        AssertNoErrorsLogged();
    }

    /// Two replicas: same database, same encryption key, same admin key (see Replicas).
    private async Task<(ServerProcess A, ServerProcess B)> StartReplicasAsync(bool worker)
    {
        var key = TestKey.New().Base64;
        var settings = new Dictionary<string, string>
        {
            ["PLUGBOARD_OAUTH_ALLOWED_HOSTS"] = "127.0.0.1",
            ["PLUGBOARD_REFRESH_WORKER"] = worker ? "true" : "false",
            ["PLUGBOARD_REFRESH_INTERVAL_SECONDS"] = "1",
        };
        // One after the other: replicas starting together are MigrationTests' subject; the race here is the refresh.
        var a = await _replicas.StartAsync("A", key, settings);
        var b = await _replicas.StartAsync("B", key, settings);
        foreach (var server in _replicas.Servers)
        {
            _startedAtLine[server] = server.LinesWritten;
        }
        return (a, b);
    }

    /// When either replica has written the connection's new tokens: it logs that after the write (ServerProcess logs
    /// Plugboard.Server.OAuth at Debug), so a read from then on finds them. The provider answering comes before it.
    private Task WhenRefreshedAsync(string connectionId) =>
        Task.WhenAny(_replicas.Servers.Select(s => s.WhenOutputContainsAsync($"Refreshed the tokens of connection {connectionId}", _startedAtLine[s])));

    private HttpClient Client(ServerProcess server, string apiKey = TestApp.AdminKey) => _replicas.Client(server, apiKey);

    private (string Id, string Secret) NewClient()
    {
        var id = Api.Unique("client");
        var secret = $"cs-{Guid.NewGuid():N}";
        _provider.AddClient(id, secret);
        return (id, secret);
    }

    private JsonObject DueValue(string clientId, string secret)
    {
        var tokens = _provider.IssueTokens(clientId);
        return new JsonObject
        {
            ["type"] = "OAUTH2",
            ["access_token"] = tokens.AccessToken,
            ["refresh_token"] = tokens.RefreshToken,
            ["token_type"] = "Bearer",
            ["expires_in"] = ExpiresIn,
            ["claimed_at"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - Age,
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["token_url"] = _provider.TokenUrl,
            ["redirect_url"] = "https://app.example.com/callback",
        };
    }

    /// All requests wait on one gate, so they leave together instead of in the order they were built.
    private static async Task<ApiResponse[]> FireTogetherAsync(IReadOnlyList<(HttpClient Client, string Path)> requests)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sent = requests.Select(async r =>
        {
            await gate.Task;
            return await Api.SendAsync(r.Client, HttpMethod.Post, r.Path, null);
        }).ToList();
        gate.SetResult();
        return await Task.WhenAll(sent);
    }

    /// Every caller, whichever replica and whether it refreshed or waited, is answered with the new tokens' connection.
    private void AssertAllRefreshed(ApiResponse[] answers, DateTime expiresBefore, string clientId)
    {
        var failed = answers.Where(r => r.Status != HttpStatusCode.OK).Select(r => $"{(int)r.Status} {r.Raw}").ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} of {answers.Length} refresh requests failed: {string.Join(" | ", failed.Distinct())}\n{Diagnostics(clientId)}");
        var stale = answers.Where(r => r.Str("status") != "ACTIVE" || ExpiresAt(r.Body) <= expiresBefore).Select(r => r.Raw).ToList();
        Assert.True(stale.Count == 0, $"{stale.Count} answers were not ACTIVE with a later expiresAt: {string.Join(" | ", stale.Distinct())}\n{Diagnostics(clientId)}");
    }

    /// From start-up on only: on an empty PostgreSQL database EF Core logs its look for the migrations
    /// history table, which does not exist yet, as a failed command.
    private void AssertNoErrorsLogged()
    {
        var errors = _replicas.Servers
            .SelectMany(s => s.OutputLinesContaining(" fail: ", _startedAtLine[s]).Concat(s.OutputLinesContaining(" crit: ", _startedAtLine[s])).Select(line => $"{s.Name}: {line}"))
            .ToList();
        Assert.True(errors.Count == 0, $"the servers logged errors:\n{string.Join('\n', errors)}\n{Diagnostics()}");
    }

    private List<TokenCall> RefreshCalls(string clientId) =>
        [.. _provider.Calls.Where(c => c.ClientId == clientId && c.GrantType == RefreshGrant)];

    private static DateTime ExpiresAt(JsonElement connection) =>
        connection.GetProperty("expiresAt").ValueKind == JsonValueKind.String ? connection.GetProperty("expiresAt").GetDateTime() : DateTime.MinValue;

    private string Diagnostics(string? clientId = null)
    {
        var calls = _provider.Calls.Where(c => clientId is null || c.ClientId == clientId)
            .Select(c => $"  {c.At:HH:mm:ss.fff} {c.GrantType} {c.ClientId} {c.FamilyId} {c.Status} {c.Error}");
        return $"provider /token calls:\n{string.Join('\n', calls)}\n{_replicas.Diagnostics(60)}";
    }
}

public sealed class ReplicaRaceSqliteTests() : ReplicaRaceTests(DatabaseEngine.Sqlite);

public sealed class ReplicaRacePostgresTests() : ReplicaRaceTests(DatabaseEngine.Postgres);
