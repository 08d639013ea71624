using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Maintenance;
using Plugboard.Server.OAuth;
using Plugboard.Server.Platform;
using Plugboard.Server.Tests.Engine;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Startup;

public abstract class RewrapTests(DatabaseEngine engine)
{
    private static async Task<RewrapReport> RewrapAsync(TestApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await Rewrap.RunAsync(
            scope.ServiceProvider.GetRequiredService<PlugboardDb>(), scope.ServiceProvider.GetRequiredService<SecretProtector>(), CancellationToken.None);
    }

    [Fact]
    public async Task RunAsync_MoreRowsThanOneBatch_MovesEveryRowThenIsANoOp()
    {
        // Rewrap reads in batches of 200 by keyset on the id: 250 rows cross a batch boundary.
        const int count = 250;
        await using var storage = await TestStorage.CreateAsync(engine);
        var (k1, k2) = (TestKey.New(), TestKey.New());
        await using (var app = Restarts.Start(storage, Restarts.Keys(k1)))
        {
            await BulkConnections.SeedAsync(app, count);
        }

        await using var rotated = Restarts.Start(storage, Restarts.Keys(k2, k1));
        var first = await RewrapAsync(rotated);
        var second = await RewrapAsync(rotated);

        Assert.Equal((count, count, 0), (first.Examined, first.Rewrapped, first.AlreadyCurrent));
        Assert.Equal([k1.Id], first.RetiredKeyIds);
        Assert.Equal((count, 0, count), (second.Examined, second.Rewrapped, second.AlreadyCurrent));
        Assert.Empty(second.RetiredKeyIds);
        var stored = await rotated.StoredValuesAsync();
        Assert.Equal(count, stored.Count);
        foreach (var (id, value) in stored)
        {
            Assert.StartsWith($"v1:{k2.Id}:", value.Value, StringComparison.Ordinal);
            Assert.Contains($"\"bulk-{BulkConnections.Number(value.ExternalId)}\"", rotated.Decrypt(id, value), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RunAsync_PlatformOAuthAppSecret_MovesToTheNewKeyAndStillOpensWithItAlone()
    {
        await using var storage = await TestStorage.CreateAsync(engine);
        var (k1, k2) = (TestKey.New(), TestKey.New());
        await using (var app = Restarts.Start(storage, Restarts.Keys(k1)))
        {
            await app.Client().ApiPostAsync("/api/v1/oauth-apps", new { pieceName = "@acme/piece-crm", clientId = "crm-app", clientSecret = "app-secret-rewrapped" });
        }
        await using (var rotated = Restarts.Start(storage, Restarts.Keys(k2, k1)))
        {
            var report = await RewrapAsync(rotated);
            Assert.Equal(1, report.Rewrapped);
            Assert.Equal([k1.Id], report.RetiredKeyIds);
        }

        await using var after = Restarts.Start(storage, Restarts.Keys(k2));
        var app2 = await after.WithDbAsync(db => db.OAuthApps.AsNoTracking().SingleAsync());
        Assert.StartsWith($"v1:{k2.Id}:", app2.ClientSecret, StringComparison.Ordinal);
        Assert.Equal("app-secret-rewrapped", after.Services.GetRequiredService<SecretProtector>().Unprotect(app2.ClientSecret, OAuthAppSecrets.Context(app2)));
    }

    [Fact]
    public async Task RunAsync_DefinitionGlobalAndTestValues_MoveToTheNewKeyAndAConnectionStillReadsThemWithItAlone()
    {
        await using var storage = await TestStorage.CreateAsync(engine);
        var (k1, k2) = (TestKey.New(), TestKey.New());
        string projectId;
        await using (var app = Restarts.Start(storage, Restarts.Keys(k1)))
        {
            var admin = app.Client();
            projectId = await admin.CreateProjectAsync();
            var id = (await admin.ApiPostAsync("/api/v1/connection-definitions", new
            {
                stableKey = "crm.rewrap", displayName = "CRM", pieceName = "@acme/piece-crm", type = "CUSTOM_AUTH", credentials = "CUSTOMER",
                globalValues = new { props = new { base_url = "https://rewrapped.example.com" } },
            })).AssertStatus(System.Net.HttpStatusCode.Created).Str("id");
            (await admin.ApiPostAsync($"/api/v1/connection-definitions/{id}/test-value", new { value = new { props = new { api_key = "test-rewrapped" } } }))
                .AssertStatus(System.Net.HttpStatusCode.OK);
            (await admin.ApiPostAsync("/api/v1/app-connections", new { projectId, definition = "crm.rewrap", value = new { props = new { api_key = "own" } } }))
                .AssertStatus(System.Net.HttpStatusCode.Created);
        }
        await using (var rotated = Restarts.Start(storage, Restarts.Keys(k2, k1)))
        {
            var report = await RewrapAsync(rotated);
            Assert.Equal(2, report.Rewrapped);
            Assert.Equal([k1.Id], report.RetiredKeyIds);
        }

        await using var after = Restarts.Start(storage, Restarts.Keys(k2));
        var definition = await after.WithDbAsync(db => db.ConnectionDefinitions.AsNoTracking().SingleAsync());
        Assert.StartsWith($"v1:{k2.Id}:", definition.GlobalValues, StringComparison.Ordinal);
        Assert.StartsWith($"v1:{k2.Id}:", definition.TestValue, StringComparison.Ordinal);
        var worker = after.Client(await after.Client().EngineTokenAsync(projectId));
        var read = (await worker.ApiGetAsync("/api/v1/worker/app-connections/crm.rewrap")).AssertStatus(System.Net.HttpStatusCode.OK);
        Assert.Equal("https://rewrapped.example.com", read.Body.GetProperty("value").GetProperty("props").GetProperty("base_url").GetString());
    }

    [Fact]
    public async Task RunAsync_OneRowUndecryptable_MovesTheRestReportsItAndKeepsTheOldKeyRequired()
    {
        await using var storage = await TestStorage.CreateAsync(engine);
        var (k1, k2) = (TestKey.New(), TestKey.New());
        string projectId;
        await using (var app = Restarts.Start(storage, Restarts.Keys(k1)))
        {
            projectId = await app.Client().CreateProjectAsync();
            for (var i = 0; i < 3; i++)
            {
                await app.Client().CreateAsync(projectId, $"ok_{i}", "SECRET_TEXT", new { type = "SECRET_TEXT", secret_text = $"ok-{i}" });
            }
        }

        await using var rotated = Restarts.Start(storage, Restarts.Keys(k2, k1));
        var brokenId = await rotated.WithDbAsync(async db =>
        {
            var row = await db.AppConnections.OrderBy(c => c.Id).FirstAsync(c => c.ScopeKey == projectId);
            var parts = row.Value.Split(':');
            row.Value = $"{parts[0]}:{parts[1]}:{parts[2]}:{Convert.ToBase64String(new byte[40])}";
            await db.SaveChangesAsync();
            return row.Id;
        });

        var report = await RewrapAsync(rotated);

        Assert.Equal([brokenId], report.FailedIds);
        Assert.Equal(2, report.Rewrapped);
        Assert.Empty(report.RetiredKeyIds);
        Assert.Contains(k1.Id, await rotated.CanaryKeyIdsAsync());
    }
}

public sealed class RewrapSqliteTests() : RewrapTests(DatabaseEngine.Sqlite);

public sealed class RewrapPostgresTests() : RewrapTests(DatabaseEngine.Postgres);
