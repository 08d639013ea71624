using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Maintenance;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Server.Tests.Startup;

namespace Plugboard.Server.Tests.Engine;

/// A key rotation done the README's way across two replicas on one database, with the engine reads kept hot
/// throughout: restart B then A with the new key first, write, rewrap, retire the old key (B, then A). After each
/// step the very first engine read on B serves the current value, and a token signed with the retired key is refused.
/// Each test has its own database and its own pair of processes, which it restarts.
public abstract class ReplicaKeyRotationTests(DatabaseEngine engine) : IAsyncLifetime
{
    private const int WarmReads = 5;

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
    public async Task KeyRotation_RollingRestartRewrapAndRetire_FirstReadOnBServesEachNewValueAndTheRetiredKeysTokenIsRefused()
    {
        var (oldKey, newKey) = (TestKey.New(), TestKey.New());
        var a = await StartAsync("A", oldKey);
        var b = await StartAsync("B", oldKey);
        var projectId = await Client(a).CreateProjectAsync();
        var externalId = Api.Unique("rotated");
        await UpsertAsync(a, projectId, externalId, "before-rotation", HttpStatusCode.Created);
        var oldToken = await Client(a).EngineTokenAsync(projectId, ttlSeconds: 3600);
        await WarmAsync(b, oldToken, externalId, "before-rotation");

        // Every replica restarts with the new key first before anything is written with it.
        b = await RestartAsync(b, newKey, oldKey);
        await AssertFirstReadAsync(b, oldToken, externalId, "before-rotation", "B restarted with the new key first");
        await WarmAsync(b, oldToken, externalId, "before-rotation");
        a = await RestartAsync(a, newKey, oldKey);

        await UpsertAsync(a, projectId, externalId, "under-the-new-key", HttpStatusCode.OK);
        await AssertReadWithinAsync(b, oldToken, externalId, "under-the-new-key", "before-rotation", "the upsert on A under the new key");
        await AssertFirstReadAsync(a, oldToken, externalId, "under-the-new-key", "A's own upsert under the new key");
        await WarmAsync(b, oldToken, externalId, "under-the-new-key");

        var report = await RewrapAsync(newKey, oldKey);
        Assert.True(report.FailedIds.Count == 0 && report.RetiredKeyIds.Contains(oldKey.Id),
            $"the rewrap should move everything and retire the old key: {report}");
        await AssertFirstReadAsync(b, oldToken, externalId, "under-the-new-key", "the rewrap");
        await AssertFirstReadAsync(a, oldToken, externalId, "under-the-new-key", "the rewrap (on A)");

        // The old key retired: tokens it signed die with it, on each replica as it restarts without it.
        b = await RestartAsync(b, newKey);
        var refused = await Client(b, oldToken).ReadConnectionAsync(externalId);
        Assert.True(refused.Status == HttpStatusCode.Unauthorized,
            $"B, restarted without the old key, still accepted a token it signed: {(int)refused.Status} {refused.Raw}\n{Diagnostics()}");
        var newToken = await Client(a).EngineTokenAsync(projectId, ttlSeconds: 3600);
        await AssertFirstReadAsync(b, newToken, externalId, "under-the-new-key", "B restarted with the new key only");
        await WarmAsync(b, newToken, externalId, "under-the-new-key");
        a = await RestartAsync(a, newKey);

        await UpsertAsync(a, projectId, externalId, "after-retirement", HttpStatusCode.OK);
        await AssertReadWithinAsync(b, newToken, externalId, "after-retirement", "under-the-new-key", "the upsert on A after the old key was retired");
        await AssertFirstReadAsync(a, newToken, externalId, "after-retirement", "A's own upsert after the old key was retired");
    }

    private async Task UpsertAsync(ServerProcess server, string projectId, string externalId, string secret, HttpStatusCode expected) =>
        (await Client(server).ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, externalId, secret))).AssertStatus(expected);

    private async Task WarmAsync(ServerProcess server, string token, string externalId, string expected)
    {
        for (var i = 0; i < WarmReads; i++)
        {
            await AssertFirstReadAsync(server, token, externalId, expected, $"warm-up read {i + 1}");
        }
    }

    /// The other replica serves the new value within the cross-replica bound (its engine-read cache lives 500 ms):
    /// until then it may only repeat the value it served before; after that the first read must be the new one.
    private async Task AssertReadWithinAsync(ServerProcess server, string token, string externalId, string expected, string before, string after)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMilliseconds(1300))
        {
            var read = await Client(server, token).ReadConnectionAsync(externalId);
            Assert.True(read.Status == HttpStatusCode.OK, $"{server.Name}'s read after {after}: {(int)read.Status} {read.Raw}\n{Diagnostics()}");
            var served = read.Body.GetProperty("value").GetProperty("secret_text").GetString();
            if (served == expected)
            {
                break;
            }
            Assert.True(served == before, $"{server.Name}'s read after {after}: served '{served}', neither the old '{before}' nor the new '{expected}'.\n{Diagnostics()}");
        }
        for (var i = 0; i < WarmReads; i++)
        {
            await AssertFirstReadAsync(server, token, externalId, expected, after);
        }
    }

    private async Task AssertFirstReadAsync(ServerProcess server, string token, string externalId, string expected, string after)
    {
        var read = await Client(server, token).ReadConnectionAsync(externalId);
        Assert.True(read.Status == HttpStatusCode.OK, $"{server.Name}'s read after {after}: expected 200 with '{expected}', got {(int)read.Status}: {read.Raw}\n{Diagnostics()}");
        var served = read.Body.GetProperty("value").GetProperty("secret_text").GetString();
        Assert.True(served == expected, $"{server.Name}'s read after {after}: served '{served}', a stale value; expected '{expected}'.\n{Diagnostics()}");
    }

    /// `rewrap` run once, as the README says, here by a server of the same database in this process.
    private async Task<RewrapReport> RewrapAsync(params TestKey[] keys)
    {
        await using var maintenance = Restarts.Start(_replicas.Storage, Restarts.Keys(keys));
        await using var scope = maintenance.Services.CreateAsyncScope();
        return await Rewrap.RunAsync(
            scope.ServiceProvider.GetRequiredService<PlugboardDb>(), scope.ServiceProvider.GetRequiredService<SecretProtector>(), CancellationToken.None);
    }

    private async Task<ServerProcess> RestartAsync(ServerProcess server, params TestKey[] keys)
    {
        await _replicas.StopAsync(server);
        return await StartAsync(server.Name, keys);
    }

    /// A replica of the shared database with the given key ring, newest key first.
    private Task<ServerProcess> StartAsync(string name, params TestKey[] keys) =>
        _replicas.StartAsync(name, string.Join(',', keys.Select(k => k.Base64)));

    private HttpClient Client(ServerProcess server, string credential = TestApp.AdminKey) => _replicas.Client(server, credential);

    private string Diagnostics() => _replicas.Diagnostics();
}

public sealed class ReplicaKeyRotationSqliteTests() : ReplicaKeyRotationTests(DatabaseEngine.Sqlite);

public sealed class ReplicaKeyRotationPostgresTests() : ReplicaKeyRotationTests(DatabaseEngine.Postgres);
