using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plugboard.Server.Configuration;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.OAuth;
using Plugboard.Server.Outbox;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Testing.Servers;

namespace Plugboard.Server.Tests.Startup;

/// The server binary's `rewrap` and `check` verbs as an operator runs them: a process of their own on the server's
/// database, interrupted by a signal, run again.
public abstract class ServerVerbTests(DatabaseEngine engine)
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Rewrap_StoppedBySignal_KeepsWhatItMoved_AndTheNextRunFinishes()
    {
        // Thousands of rows: the signal lands long before the last one (each row is its own compare-and-swap).
        const int count = 5000;
        await using var storage = await TestStorage.CreateAsync(engine);
        var (k1, k2) = (TestKey.New(), TestKey.New());
        await using (var app = Restarts.Start(storage, Restarts.Keys(k1)))
        {
            await BulkConnections.SeedAsync(app, count);
        }

        var first = Verb(storage, "rewrap", k2, k1);
        await using (first)
        {
            await first.WhenOutputContainsAsync($"Rewrap: connection values 200/{count}").WaitAsync(ExitTimeout);
            first.Terminate();
            Assert.Equal(130, await first.WaitForExitAsync(ExitTimeout));
        }
        Assert.Single(first.OutputLinesContaining("Rewrap: interrupted."));
        Assert.DoesNotContain(first.Output, line => line.Contains("Exception", StringComparison.Ordinal));

        await using (var between = Restarts.Start(storage, Restarts.Keys(k2, k1)))
        {
            var moved = (await between.StoredValuesAsync()).Values.Count(v => v.Value.StartsWith($"v1:{k2.Id}:", StringComparison.Ordinal));
            Assert.InRange(moved, 200, count - 1);
            Assert.Contains(k1.Id, await between.CanaryKeyIdsAsync());
        }

        var second = Verb(storage, "rewrap", k2, k1);
        await using (second)
        {
            Assert.Equal(0, await second.WaitForExitAsync(ExitTimeout));
        }
        Assert.Single(second.OutputLinesContaining($"retired key ids: {k1.Id}."));

        await using var after = Restarts.Start(storage, Restarts.Keys(k2));
        var stored = await after.StoredValuesAsync();
        Assert.Equal(count, stored.Count);
        foreach (var (id, value) in stored)
        {
            Assert.Contains($"\"bulk-{BulkConnections.Number(value.ExternalId)}\"", after.Decrypt(id, value), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Check_OpensEverySecretOfEveryStore_AndNamesTheOneThatDoesNotOpen()
    {
        await using var storage = await TestStorage.CreateAsync(engine);
        var key = TestKey.New();
        string appId;
        await using (var app = Restarts.Start(storage, Restarts.Keys(key)))
        {
            var admin = app.Client();
            var projectId = await admin.CreateProjectAsync();
            await admin.CreateAsync(projectId, "ext_check", "SECRET_TEXT", new { type = "SECRET_TEXT", secret_text = "xoxb-check" });
            appId = (await admin.ApiPostAsync("/api/v1/oauth-apps", new { pieceName = "@acme/piece-crm", clientId = "crm-app", clientSecret = "app-secret-checked" }))
                .AssertStatus(System.Net.HttpStatusCode.OK).Str("id");
            (await admin.ApiPostAsync("/api/v1/webhooks", new { url = "https://hooks.example.com/check", events = new[] { WebhookEvents.Created } }))
                .AssertStatus(System.Net.HttpStatusCode.Created);
        }

        var sound = Verb(storage, "check", key);
        await using (sound)
        {
            Assert.True(await sound.WaitForExitAsync(ExitTimeout) == 0, sound.OutputTail());
        }
        var summary = Assert.Single(sound.OutputLinesContaining("Check: the schema is at the latest migration"));
        Assert.Contains("1 connection values", summary, StringComparison.Ordinal);
        Assert.Contains("1 OAuth app secrets", summary, StringComparison.Ordinal);
        Assert.Contains("1 webhook signing secrets", summary, StringComparison.Ordinal);
        Assert.Contains("0 unreadable", summary, StringComparison.Ordinal);

        // The same key, sealed for another row: the ring has the key but the secret is not this app's.
        await using (var app = Restarts.Start(storage, Restarts.Keys(key)))
        {
            var misplaced = app.Services.GetRequiredService<SecretProtector>().Protect("app-secret-checked", new SecretContext("elsewhere", appId, "clientSecret"));
            await app.WithDbAsync(db => db.OAuthApps.Where(a => a.Id == appId).ExecuteUpdateAsync(s => s.SetProperty(a => a.ClientSecret, misplaced)));
        }
        var broken = Verb(storage, "check", key);
        await using (broken)
        {
            Assert.Equal(1, await broken.WaitForExitAsync(ExitTimeout));
        }
        Assert.Contains($"1 unreadable ({appId})", Assert.Single(broken.OutputLinesContaining("Check: the schema is at the latest migration")), StringComparison.Ordinal);
    }

    private static ServerProcess Verb(TestStorage storage, string verb, params TestKey[] keys) =>
        ServerProcess.Launch(new ServerLaunch(verb, new Dictionary<string, string>
        {
            ["PLUGBOARD_DATA_DIR"] = storage.DataDir,
            ["PLUGBOARD_DATABASE"] = storage.Database ?? "",
            [KeyRingLoader.EnvironmentVariable] = string.Join(',', keys.Select(k => k.Base64)),
        })
        {
            Arguments = [verb],
        });
}

public sealed class ServerVerbSqliteTests() : ServerVerbTests(DatabaseEngine.Sqlite);

public sealed class ServerVerbPostgresTests() : ServerVerbTests(DatabaseEngine.Postgres);
