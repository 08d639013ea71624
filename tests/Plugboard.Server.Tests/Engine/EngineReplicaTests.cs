using System.Net;
using Plugboard.Server.Data;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Server.Tests.Startup;

namespace Plugboard.Server.Tests.Engine;

/// The engine API over real Kestrel processes: a token issued by one replica is accepted by another
/// (the signing key derives from the shared encryption key), and externalIds holding '/' or a literal
/// "%2F" reach the handler exactly as the engine sent them (Kestrel's raw request target).
public abstract class EngineReplicaTests(DatabaseEngine engine) : IAsyncLifetime
{
    private Replicas _replicas = null!;

    public async ValueTask InitializeAsync() => _replicas = await Replicas.CreateAsync(engine);

    public async ValueTask DisposeAsync()
    {
        // Null when InitializeAsync failed; its exception is the one to see.
        if (_replicas is not null)
        {
            await _replicas.DisposeAsync();
        }
    }

    [Fact]
    public async Task ReadConnection_TokenFromReplicaAReadOnReplicaB_ServesTheExactExternalId()
    {
        var key = TestKey.New().Base64;
        var a = await _replicas.StartAsync("A", key);
        var b = await _replicas.StartAsync("B", key);
        var admin = _replicas.Client(a);
        var projectId = await admin.CreateProjectAsync();
        var ids = new[] { $"team/slack {Guid.NewGuid():N}", $"literal%2Fpercent_{Guid.NewGuid():N}", $"plain_{Guid.NewGuid():N}" };
        foreach (var (externalId, i) in ids.Select((e, i) => (e, i)))
        {
            (await admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, externalId, $"secret-{i}"))).AssertStatus(HttpStatusCode.Created);
        }
        var token = await admin.EngineTokenAsync(projectId);
        var engineOnB = _replicas.Client(b, token);

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
        var a = await _replicas.StartAsync("A", TestKey.New().Base64);
        var admin = _replicas.Client(a);
        var projectId = await admin.CreateProjectAsync();
        var token = await admin.EngineTokenAsync(projectId);
        var stranger = await _replicas.StartAsync("C", TestKey.New().Base64, ownStore: true);

        (await _replicas.Client(stranger, token).ApiGetAsync("/api/v1/worker/project")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
    }
}

public sealed class EngineReplicaSqliteTests() : EngineReplicaTests(DatabaseEngine.Sqlite);

public sealed class EngineReplicaPostgresTests() : EngineReplicaTests(DatabaseEngine.Postgres);
