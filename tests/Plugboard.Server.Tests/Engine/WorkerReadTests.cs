using System.Net;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Audit;
using Plugboard.Server.Connections;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Engine;

/// GET /api/v1/worker/app-connections/:externalId and /worker/project with an engine token (seed 000's run-time half).
public abstract class WorkerReadTests(AppFixture fixture)
{
    private readonly HttpClient _admin = fixture.App.Client();

    private HttpClient Engine(string token) => fixture.App.Client(token);

    [Fact]
    public async Task ReadConnection_GlobalConnectionSharedWithTheProject_ReturnsItsDecryptedValue()
    {
        var externalProjectId = Api.Unique("org");
        var projectId = await _admin.CreateProjectAsync(externalProjectId);
        var key = $"gel_live_{Guid.NewGuid():N}";
        (await _admin.ApiPostAsync("/api/v1/global-connections", Api.Global($"gelato_{externalProjectId}", [projectId], key)))
            .AssertStatus(HttpStatusCode.Created);
        var engine = Engine(await _admin.EngineTokenAsync(projectId));

        var read = (await engine.ReadConnectionAsync($"gelato_{externalProjectId}")).AssertStatus(HttpStatusCode.OK);

        Assert.Equal(key, read.Body.GetProperty("value").GetProperty("props").GetProperty("api_key").GetString());
        Assert.Equal("CUSTOM_AUTH", read.Body.GetProperty("value").GetProperty("type").GetString());
        Assert.Equal("PLATFORM", read.Str("scope"));
        Assert.Equal("ACTIVE", read.Str("status"));
        Assert.Equal([projectId], read.Body.GetProperty("projectIds").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task ReadProject_EngineToken_ReturnsTheTokensProjectWithItsExternalId()
    {
        var externalProjectId = Api.Unique("org");
        var projectId = await _admin.CreateProjectAsync(externalProjectId);

        var project = (await Engine(await _admin.EngineTokenAsync(projectId)).ApiGetAsync("/api/v1/worker/project?projectId=other"))
            .AssertStatus(HttpStatusCode.OK);

        Assert.Equal(projectId, project.Str("id"));
        Assert.Equal(externalProjectId, project.Str("externalId"));
        Assert.Equal(externalProjectId, project.Str("displayName"));
    }

    [Fact]
    public async Task ReadConnection_AnotherCustomersConnections_AreNotFound()
    {
        var (orgA, orgB) = (Api.Unique("org"), Api.Unique("org"));
        var (projectA, projectB) = (await _admin.CreateProjectAsync(orgA), await _admin.CreateProjectAsync(orgB));
        (await _admin.ApiPostAsync("/api/v1/global-connections", Api.Global($"gelato_{orgA}", [projectA], "gel_a"))).AssertStatus(HttpStatusCode.Created);
        (await _admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectA, "slack_a", "xoxb-a"))).AssertStatus(HttpStatusCode.Created);
        var engineB = Engine(await _admin.EngineTokenAsync(projectB));

        foreach (var externalId in new[] { $"gelato_{orgA}", "slack_a", "nothing_here" })
        {
            var response = (await engineB.ReadConnectionAsync(externalId)).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
            Assert.Equal($"externalId={externalId}", response.Body.GetProperty("params").GetProperty("entityId").GetString());
            Assert.DoesNotContain("gel_a", response.Raw, StringComparison.Ordinal);
        }
        // The query parameter the reference engine appends is ignored: the token decides the project.
        (await engineB.ApiGetAsync($"/api/v1/worker/app-connections/slack_a?projectId={projectA}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
    }

    [Fact]
    public async Task ReadConnection_ProjectAndGlobalConnectionWithOneExternalId_ProjectConnectionWins()
    {
        var projectId = await _admin.CreateProjectAsync();
        var externalId = Api.Unique("shared");
        (await _admin.ApiPostAsync("/api/v1/global-connections", Api.Global(externalId, [projectId], "from-global"))).AssertStatus(HttpStatusCode.Created);
        (await _admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, externalId, "from-project"))).AssertStatus(HttpStatusCode.Created);

        var read = (await Engine(await _admin.EngineTokenAsync(projectId)).ReadConnectionAsync(externalId)).AssertStatus(HttpStatusCode.OK);

        Assert.Equal("PROJECT", read.Str("scope"));
        Assert.Equal("from-project", read.Body.GetProperty("value").GetProperty("secret_text").GetString());
    }

    [Fact]
    public async Task ReadConnection_MissingPlaceholder_IsNotFoundAndAGlobalOneStillServes()
    {
        var projectId = await _admin.CreateProjectAsync();
        var (placeholderOnly, shadowed) = (Api.Unique("ph"), Api.Unique("ph"));
        var a = (await _admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, placeholderOnly, "x"))).Str("id");
        var b = (await _admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, shadowed, "y"))).Str("id");
        (await _admin.ApiPostAsync("/api/v1/global-connections", Api.Global(shadowed, [projectId], "global-value"))).AssertStatus(HttpStatusCode.Created);
        await fixture.App.WithDbAsync(db => db.AppConnections.Where(c => c.Id == a || c.Id == b)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ConnectionStatus.Missing)));
        var engine = Engine(await _admin.EngineTokenAsync(projectId));

        (await engine.ReadConnectionAsync(placeholderOnly)).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        var read = (await engine.ReadConnectionAsync(shadowed)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("global-value", read.Body.GetProperty("value").GetProperty("props").GetProperty("api_key").GetString());
    }

    [Fact]
    public async Task ReadConnection_ErrorStatus_IsReturnedAsSuchWithItsReason()
    {
        var projectId = await _admin.CreateProjectAsync();
        var externalId = Api.Unique("broken");
        var id = (await _admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, externalId, "x"))).Str("id");
        await fixture.App.WithDbAsync(db => db.AppConnections.Where(c => c.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.Status, ConnectionStatus.Error).SetProperty(c => c.StatusReason, "invalid_grant: revoked")));

        var read = (await Engine(await _admin.EngineTokenAsync(projectId)).ReadConnectionAsync(externalId)).AssertStatus(HttpStatusCode.OK);

        Assert.Equal("ERROR", read.Str("status"));
        Assert.Equal("invalid_grant: revoked", read.Str("statusReason"));
    }

    [Fact]
    public async Task ReadConnection_ExternalIdWithSlashesAndQuotes_IsFoundByItsEncodedForm()
    {
        var projectId = await _admin.CreateProjectAsync();
        var externalId = $"team/a'b {Guid.NewGuid():N}";
        (await _admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, externalId, "odd"))).AssertStatus(HttpStatusCode.Created);

        var read = (await Engine(await _admin.EngineTokenAsync(projectId)).ReadConnectionAsync(externalId)).AssertStatus(HttpStatusCode.OK);

        Assert.Equal(externalId, read.Str("externalId"));
    }

    [Fact]
    public async Task ReadConnection_EveryRead_IsAuditedWithTokenAndCountButNeverTheValue()
    {
        var projectId = await _admin.CreateProjectAsync();
        var externalId = Api.Unique("audited");
        var secret = $"xoxb-{Guid.NewGuid():N}";
        var id = (await _admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, externalId, secret))).Str("id");
        var engine = Engine(await _admin.EngineTokenAsync(projectId));

        for (var i = 0; i < 7; i++)
        {
            (await engine.ReadConnectionAsync(externalId)).AssertStatus(HttpStatusCode.OK);
        }
        await fixture.App.FlushReadAuditAsync();

        var events = (await _admin.ApiGetAsync($"/api/v1/audit-events?action=connection.read&entityId={id}&limit=100"))
            .AssertStatus(HttpStatusCode.OK);
        var rows = events.Body.GetProperty("data").EnumerateArray().ToList();
        Assert.NotEmpty(rows);
        Assert.Equal(7, rows.Sum(r => r.GetProperty("details").GetProperty("reads").GetInt32()));
        Assert.All(rows, r =>
        {
            Assert.Equal("ENGINE_TOKEN", r.GetProperty("actorType").GetString());
            Assert.Equal(projectId, r.GetProperty("projectId").GetString());
            Assert.Equal(externalId, r.GetProperty("details").GetProperty("externalId").GetString());
        });
        Assert.Single(rows.Select(r => r.GetProperty("actorId").GetString()).Distinct());
        Assert.DoesNotContain(secret, events.Raw, StringComparison.Ordinal);
        var auditText = await fixture.App.WithDbAsync(db => db.AuditEvents.AsNoTracking().Select(e => e.Details ?? "").ToListAsync());
        Assert.DoesNotContain(auditText, d => d.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadConnection_TwoTokens_AreAuditedApart()
    {
        var projectId = await _admin.CreateProjectAsync();
        var externalId = Api.Unique("two");
        var id = (await _admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, externalId, "x"))).Str("id");

        foreach (var token in new[] { await _admin.EngineTokenAsync(projectId), await _admin.EngineTokenAsync(projectId) })
        {
            (await Engine(token).ReadConnectionAsync(externalId)).AssertStatus(HttpStatusCode.OK);
        }
        await fixture.App.FlushReadAuditAsync();

        var events = (await _admin.ApiGetAsync($"/api/v1/audit-events?action=connection.read&entityId={id}")).Body.GetProperty("data");
        Assert.Equal(2, events.EnumerateArray().Select(e => e.GetProperty("actorId").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task FloorRoute_NotABenchmarkRun_IsNotMapped()
    {
        var projectId = await _admin.CreateProjectAsync();
        var response = await Engine(await _admin.EngineTokenAsync(projectId)).ApiGetAsync("/api/v1/worker/floor/app-connections/x");
        Assert.Equal(HttpStatusCode.NotFound, response.Status);
    }
}

public sealed class WorkerReadSqliteTests(SqliteFixture fixture) : WorkerReadTests(fixture), IClassFixture<SqliteFixture>;

public sealed class WorkerReadPostgresTests(PostgresFixture fixture) : WorkerReadTests(fixture), IClassFixture<PostgresFixture>;
