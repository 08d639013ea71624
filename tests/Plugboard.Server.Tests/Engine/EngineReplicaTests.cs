using System.Net;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Platform;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Server.Tests.Startup;

namespace Plugboard.Server.Tests.Engine;

/// The engine API over real Kestrel processes: a token issued by one replica is accepted by another
/// (the signing key derives from the shared encryption key), and externalIds holding '/' or a literal
/// "%2F" reach the handler exactly as the engine sent them (Kestrel's raw request target).
public abstract class EngineReplicaTests(DatabaseEngine engine) : IAsyncLifetime
{
    private readonly List<ServerProcess> _servers = [];
    private readonly List<HttpClient> _clients = [];
    private TestStorage _storage = null!;

    public async ValueTask InitializeAsync() => _storage = await TestStorage.CreateAsync(engine);

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        await Task.WhenAll(_servers.Select(s => s.DisposeAsync().AsTask()));
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
        }
    }

    [Fact]
    public async Task ReadConnection_TokenFromReplicaAReadOnReplicaB_ServesTheExactExternalId()
    {
        var key = TestKey.New().Base64;
        var a = await StartAsync("a", key);
        var b = await StartAsync("b", key);
        var admin = Track(a.Client());
        var projectId = await admin.CreateProjectAsync();
        var ids = new[] { $"team/slack {Guid.NewGuid():N}", $"literal%2Fpercent_{Guid.NewGuid():N}", $"plain_{Guid.NewGuid():N}" };
        foreach (var (externalId, i) in ids.Select((e, i) => (e, i)))
        {
            (await admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, externalId, $"secret-{i}"))).AssertStatus(HttpStatusCode.Created);
        }
        var token = await admin.EngineTokenAsync(projectId);
        var engineOnB = Track(b.Client(token));

        foreach (var (externalId, i) in ids.Select((e, i) => (e, i)))
        {
            var read = (await engineOnB.ReadConnectionAsync(externalId)).AssertStatus(HttpStatusCode.OK);
            Assert.Equal(externalId, read.Str("externalId"));
            Assert.Equal($"secret-{i}", read.Body.GetProperty("value").GetProperty("secret_text").GetString());
        }
        // "literal/percent_…" is not "literal%2Fpercent_…": no double decoding.
        (await engineOnB.ReadConnectionAsync(ids[1].Replace("%2F", "/", StringComparison.Ordinal))).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
    }

    [Fact]
    public async Task ReadConnection_ReplicaWithAnotherEncryptionKey_RejectsTheToken()
    {
        var a = await StartAsync("a", TestKey.New().Base64);
        var admin = Track(a.Client());
        var projectId = await admin.CreateProjectAsync();
        var token = await admin.EngineTokenAsync(projectId);
        var stranger = await StartAsync("c", TestKey.New().Base64, database: null);

        (await Track(stranger.Client(token)).ApiGetAsync("/api/v1/worker/project")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
    }

    private HttpClient Track(HttpClient client)
    {
        _clients.Add(client);
        return client;
    }

    /// A replica of the shared database, or (database null) a server with a store of its own.
    private async Task<ServerProcess> StartAsync(string name, string key, string? database = "")
    {
        var dataDir = Path.Combine(_storage.DataDir, engine == DatabaseEngine.Sqlite && database is not null ? "shared" : name);
        Directory.CreateDirectory(dataDir);
        var server = await ServerProcess.StartAsync(name.ToUpperInvariant(), new Dictionary<string, string>
        {
            ["PLUGBOARD_DATA_DIR"] = dataDir,
            ["PLUGBOARD_DATABASE"] = database is null ? "" : _storage.Database ?? "",
            [PlatformBootstrap.AdminKeyVariable] = TestApp.AdminKey,
            [KeyRingLoader.EnvironmentVariable] = key,
            ["PLUGBOARD_REFRESH_WORKER"] = "false",
        });
        _servers.Add(server);
        return server;
    }
}

public sealed class EngineReplicaSqliteTests() : EngineReplicaTests(DatabaseEngine.Sqlite);

public sealed class EngineReplicaPostgresTests() : EngineReplicaTests(DatabaseEngine.Postgres);
