using System.Net;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Audit;
using Plugboard.Server.Connections;
using Plugboard.Server.Tests.Infrastructure;
using static Plugboard.Server.Tests.Flows.FlowTestData;

namespace Plugboard.Server.Tests.Flows;

/// flowIds on connection reads, the delete guard, and MISSING placeholders.
public abstract class FlowConnectionUsageTests(AppFixture fixture)
{
    private readonly TestApp _app = fixture.App;
    private HttpClient Admin => _app.Client();

    [Fact]
    public async Task FlowIds_SameExternalIdInTwoProjects_EachConnectionListsOnlyItsProjectsFlows()
    {
        var a = await Admin.CreateProjectAsync();
        var b = await Admin.CreateProjectAsync();
        var inA = await Admin.CreateConnectionAsync(a, "shared_ext");
        var inB = await Admin.CreateConnectionAsync(b, "shared_ext");
        var flowA = await Admin.CreateFlowAsync(a, "ENABLED", "shared_ext");
        var flowA2 = await Admin.CreateFlowAsync(a, "DISABLED", "shared_ext", "other");
        var flowB = await Admin.CreateFlowAsync(b, "ENABLED", "shared_ext");

        Assert.Equal(new[] { flowA, flowA2 }.Order(StringComparer.Ordinal), (await Admin.ConnectionAsync(inA)).FlowIds());
        Assert.Equal([flowB], (await Admin.ConnectionAsync(inB)).FlowIds());
        Assert.Equal(new[] { flowA, flowA2 }.Order(StringComparer.Ordinal), (await Admin.ConnectionsByExternalIdAsync(a))["shared_ext"].FlowIds());
        Assert.Equal([flowB], (await Admin.ConnectionsByExternalIdAsync(b))["shared_ext"].FlowIds());

        var reupserted = (await Admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(b, "shared_ext", "rotated"))).AssertStatus(HttpStatusCode.OK);
        Assert.Equal([flowB], reupserted.Body.FlowIds());
        var projectKeyB = await _app.ProjectKeyAsync(b);
        Assert.Equal([flowB], (await projectKeyB.ConnectionAsync(inB)).FlowIds());
    }

    [Fact]
    public async Task FlowIds_PlatformConnection_CountsItsSharedProjectsExceptWhereAProjectConnectionWins()
    {
        var a = await Admin.CreateProjectAsync();
        var b = await Admin.CreateProjectAsync();
        var notShared = await Admin.CreateProjectAsync();
        var externalId = Api.Unique("gelato");
        var globalId = await Admin.CreateGlobalAsync(externalId, a, b);
        var ownInB = await Admin.CreateConnectionAsync(b, externalId, Gelato);
        var flowA = await Admin.CreateFlowAsync(a, "ENABLED", externalId);
        var flowB = await Admin.CreateFlowAsync(b, "ENABLED", externalId);
        await Admin.CreateFlowAsync(notShared, "ENABLED", externalId);

        var global = (await Admin.ApiGetAsync($"/api/v1/global-connections/{globalId}")).AssertStatus(HttpStatusCode.OK).Body;
        Assert.Equal([flowA], global.FlowIds());
        var globalList = (await Admin.ApiGetAsync("/api/v1/global-connections?limit=100")).AssertStatus(HttpStatusCode.OK).Body;
        Assert.Equal([flowA], globalList.GetProperty("data").EnumerateArray().Single(c => c.GetProperty("id").GetString() == globalId).FlowIds());
        Assert.Equal([flowA], (await Admin.ConnectionsByExternalIdAsync(a))[externalId].FlowIds());
        Assert.Equal([flowB], (await Admin.ConnectionAsync(ownInB)).FlowIds());

        var updated = (await Admin.ApiPostAsync($"/api/v1/global-connections/{globalId}", new { displayName = "Renamed" })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal([flowA], updated.Body.FlowIds());
    }

    [Fact]
    public async Task Delete_ConnectionUsedByEnabledFlows_Is400WithTheCountAndKeepsIt()
    {
        var projectId = await Admin.CreateProjectAsync();
        var id = await Admin.CreateConnectionAsync(projectId, "busy");
        var first = await Admin.CreateFlowAsync(projectId, "ENABLED", "busy");
        await Admin.CreateFlowAsync(projectId, "ENABLED", "busy", "other");
        await Admin.CreateFlowAsync(projectId, "DISABLED", "busy");

        var refused = (await Admin.ApiDeleteAsync($"/api/v1/app-connections/{id}")).AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        Assert.Equal("Connection is used in 2 active flows. Please remove it from flows first.", refused.Body.GetProperty("params").GetProperty("message").GetString());

        await Admin.ApiPostAsync($"/api/v1/flows/{first}", new { status = "DISABLED" });
        var stillOne = (await Admin.ApiDeleteAsync($"/api/v1/app-connections/{id}")).AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        Assert.Equal("Connection is used in 1 active flow. Please remove it from flows first.", stillOne.Body.GetProperty("params").GetProperty("message").GetString());

        var kept = await Admin.ConnectionAsync(id);
        Assert.Equal("ACTIVE", kept.GetProperty("status").GetString());
        Assert.Equal("SECRET_TEXT", kept.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Delete_GlobalUsedByEnabledFlowsOfItsProjects_Is400CountingOnlyFlowsThatResolveToIt()
    {
        var a = await Admin.CreateProjectAsync();
        var b = await Admin.CreateProjectAsync();
        var shadowing = await Admin.CreateProjectAsync();
        var notShared = await Admin.CreateProjectAsync();
        var externalId = Api.Unique("g");
        var globalId = await Admin.CreateGlobalAsync(externalId, a, b, shadowing);
        await Admin.CreateConnectionAsync(shadowing, externalId, Gelato);
        await Admin.CreateFlowAsync(a, "ENABLED", externalId);
        await Admin.CreateFlowAsync(b, "ENABLED", externalId);
        await Admin.CreateFlowAsync(b, "DISABLED", externalId);
        await Admin.CreateFlowAsync(shadowing, "ENABLED", externalId);
        await Admin.CreateFlowAsync(notShared, "ENABLED", externalId);

        var refused = (await Admin.ApiDeleteAsync($"/api/v1/global-connections/{globalId}")).AssertError(HttpStatusCode.BadRequest, "VALIDATION");

        Assert.Equal("Connection is used in 2 active flows. Please remove it from flows first.", refused.Body.GetProperty("params").GetProperty("message").GetString());
        (await Admin.ApiGetAsync($"/api/v1/global-connections/{globalId}")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Delete_ConnectionUsedOnlyByDisabledFlows_BecomesAMissingPlaceholderWithItsCredentialsWiped()
    {
        var projectId = await Admin.CreateProjectAsync();
        var created = (await Admin.ApiPostAsync("/api/v1/app-connections", new
        {
            projectId, externalId = "oauth_conn", displayName = "Google", pieceName = "@activepieces/piece-gmail", type = "OAUTH2",
            value = new
            {
                type = "OAUTH2", client_id = "c", client_secret = "cs", access_token = "at-canary", refresh_token = "rt-canary", token_type = "Bearer",
                expires_in = 3600, claimed_at = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), scope = "read", token_url = "https://oauth.provider.com/token", redirect_url = "https://app/cb",
                grant_type = "AUTHORIZATION_CODE", data = new { },
            },
        })).AssertStatus(HttpStatusCode.Created);
        var id = created.Str("id");
        var flowId = await Admin.CreateFlowAsync(projectId, "DISABLED", "oauth_conn");
        var (before, _) = await _app.StoredAsync(id);

        (await Admin.ApiDeleteAsync($"/api/v1/app-connections/{id}")).AssertStatus(HttpStatusCode.NoContent);

        var placeholder = await Admin.ConnectionAsync(id);
        Assert.Equal("MISSING", placeholder.GetProperty("status").GetString());
        Assert.Equal("NO_AUTH", placeholder.GetProperty("type").GetString());
        Assert.Equal("PROJECT", placeholder.GetProperty("scope").GetString());
        Assert.Equal([flowId], placeholder.FlowIds());
        var (row, value) = await _app.StoredAsync(id);
        Assert.Equal("""{"type":"NO_AUTH"}""", value);
        Assert.NotEqual(before.Value, row.Value);
        Assert.Equal(ConnectionType.NoAuth, row.Type);
        Assert.Equal(ConnectionStatus.Missing, row.Status);
        Assert.True(row.Version > before.Version);
        Assert.Null(row.OwnerId);
        Assert.Null(row.ExpiresAt);
        Assert.Null(row.NextRefreshAt);
        Assert.Null(row.RefreshLeaseOwner);
        var audit = await _app.WithDbAsync(db => db.AuditEvents.Where(e => e.EntityId == id && e.Action == "connection.deleted").CountAsync());
        Assert.Equal(1, audit);

        // Deleting the flow too leaves nothing referencing the placeholder: it goes.
        (await Admin.ApiDeleteAsync($"/api/v1/flows/{flowId}")).AssertStatus(HttpStatusCode.NoContent);
        (await Admin.ApiGetAsync($"/api/v1/app-connections/{id}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
    }

    [Fact]
    public async Task Delete_ProjectConnectionWithASharedGlobalOfItsExternalId_IsRemovedAndTheGlobalTakesItsFlows()
    {
        var projectId = await Admin.CreateProjectAsync();
        var externalId = Api.Unique("g");
        var globalId = await Admin.CreateGlobalAsync(externalId, projectId);
        var own = await Admin.CreateConnectionAsync(projectId, externalId, Gelato);
        var flowId = await Admin.CreateFlowAsync(projectId, "DISABLED", externalId);
        Assert.Empty((await Admin.ApiGetAsync($"/api/v1/global-connections/{globalId}")).Body.FlowIds());

        (await Admin.ApiDeleteAsync($"/api/v1/app-connections/{own}")).AssertStatus(HttpStatusCode.NoContent);

        (await Admin.ApiGetAsync($"/api/v1/app-connections/{own}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        Assert.Equal([flowId], (await Admin.ApiGetAsync($"/api/v1/global-connections/{globalId}")).Body.FlowIds());
        Assert.Equal([globalId], (await Admin.ConnectionsByExternalIdAsync(projectId)).Values.Select(c => c.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Delete_GlobalUsedOnlyByDisabledFlows_LeavesAProjectPlaceholderWhereTheyAreAndGoes()
    {
        var withFlow = await Admin.CreateProjectAsync();
        var withoutFlow = await Admin.CreateProjectAsync();
        var externalId = Api.Unique("g");
        var globalId = await Admin.CreateGlobalAsync(externalId, withFlow, withoutFlow);
        var flowId = await Admin.CreateFlowAsync(withFlow, "DISABLED", externalId);

        (await Admin.ApiDeleteAsync($"/api/v1/global-connections/{globalId}")).AssertStatus(HttpStatusCode.NoContent);

        (await Admin.ApiGetAsync($"/api/v1/global-connections/{globalId}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        var placeholder = (await Admin.ConnectionsByExternalIdAsync(withFlow))[externalId];
        Assert.NotEqual(globalId, placeholder.GetProperty("id").GetString());
        Assert.Equal("MISSING", placeholder.GetProperty("status").GetString());
        Assert.Equal("PROJECT", placeholder.GetProperty("scope").GetString());
        Assert.Equal("NO_AUTH", placeholder.GetProperty("type").GetString());
        Assert.Equal(Gelato, placeholder.GetProperty("pieceName").GetString());
        Assert.Equal([withFlow], placeholder.GetProperty("projectIds").Strings());
        Assert.Equal([flowId], placeholder.FlowIds());
        Assert.Equal("""{"type":"NO_AUTH"}""", (await _app.StoredAsync(placeholder.GetProperty("id").GetString()!)).Value);
        Assert.Empty(await Admin.ConnectionsByExternalIdAsync(withoutFlow));
    }

    [Fact]
    public async Task Placeholder_FlowReferencingAnUnprovidedExternalId_IsCreatedOnlyThere()
    {
        var projectId = await Admin.CreateProjectAsync();
        var elsewhere = await Admin.CreateProjectAsync();
        await Admin.CreateConnectionAsync(projectId, "provided");
        var globalExternalId = Api.Unique("g");
        await Admin.CreateGlobalAsync(globalExternalId, projectId);

        var flowId = await Admin.CreateFlowAsync(projectId, "DISABLED", "needs_slack", "provided", globalExternalId);

        var connections = await Admin.ConnectionsByExternalIdAsync(projectId);
        Assert.Equal(new[] { "needs_slack", "provided", globalExternalId }.Order(StringComparer.Ordinal), connections.Keys.Order(StringComparer.Ordinal));
        var placeholder = connections["needs_slack"];
        Assert.Equal("MISSING", placeholder.GetProperty("status").GetString());
        Assert.Equal("NO_AUTH", placeholder.GetProperty("type").GetString());
        Assert.Equal("PROJECT", placeholder.GetProperty("scope").GetString());
        Assert.Equal(Slack, placeholder.GetProperty("pieceName").GetString());
        Assert.Equal("needs_slack", placeholder.GetProperty("displayName").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, placeholder.GetProperty("ownerId").ValueKind);
        Assert.Equal([flowId], placeholder.FlowIds());
        Assert.Equal("ACTIVE", connections["provided"].GetProperty("status").GetString());
        var missingOnly = (await Admin.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}&status=MISSING")).Body.GetProperty("data");
        Assert.Equal(["needs_slack"], missingOnly.EnumerateArray().Select(c => c.GetProperty("externalId").GetString()));
        Assert.Empty(await Admin.ConnectionsByExternalIdAsync(elsewhere));

        // A second flow referencing it reuses the placeholder.
        await Admin.CreateFlowAsync(projectId, "DISABLED", "needs_slack");
        Assert.Equal(1, await _app.WithDbAsync(db => db.AppConnections.CountAsync(c => c.ScopeKey == projectId && c.ExternalId == "needs_slack")));
    }

    [Fact]
    public async Task Placeholder_UpsertOfItsExternalId_FillsTheSameRowAsActive()
    {
        var projectId = await Admin.CreateProjectAsync();
        var flowId = await Admin.CreateFlowAsync(projectId, "ENABLED", "to_fill");
        var placeholderId = (await Admin.ConnectionsByExternalIdAsync(projectId))["to_fill"].GetProperty("id").GetString()!;

        var filled = (await Admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, "to_fill", "xoxb-filled", displayName: "Company Slack")))
            .AssertStatus(HttpStatusCode.OK);

        Assert.Equal(placeholderId, filled.Str("id"));
        Assert.Equal("ACTIVE", filled.Str("status"));
        Assert.Equal("SECRET_TEXT", filled.Str("type"));
        Assert.Equal("Company Slack", filled.Str("displayName"));
        Assert.Equal([flowId], filled.Body.FlowIds());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, filled.Body.GetProperty("ownerId").ValueKind);
        var (row, value) = await _app.StoredAsync(placeholderId);
        Assert.Contains("xoxb-filled", value, StringComparison.Ordinal);
        Assert.Equal(ConnectionStatus.Active, row.Status);
    }

    [Fact]
    public async Task Placeholder_GlobalConnectionSharedWithTheProject_SupersedesIt()
    {
        var a = await Admin.CreateProjectAsync();
        var b = await Admin.CreateProjectAsync();
        var externalId = Api.Unique("g");
        var flowA = await Admin.CreateFlowAsync(a, "ENABLED", externalId);
        var flowB = await Admin.CreateFlowAsync(b, "ENABLED", externalId);
        Assert.Equal("MISSING", (await Admin.ConnectionsByExternalIdAsync(a))[externalId].GetProperty("status").GetString());

        var global = (await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(externalId, [a], "gs"))).AssertStatus(HttpStatusCode.Created);

        var inA = (await Admin.ConnectionsByExternalIdAsync(a))[externalId];
        Assert.Equal(global.Str("id"), inA.GetProperty("id").GetString());
        Assert.Equal("PLATFORM", inA.GetProperty("scope").GetString());
        Assert.Equal([flowA], inA.FlowIds());
        Assert.Equal("MISSING", (await Admin.ConnectionsByExternalIdAsync(b))[externalId].GetProperty("status").GetString());

        // Sharing it with B later, by update, supersedes B's placeholder too.
        (await Admin.ApiPostAsync($"/api/v1/global-connections/{global.Str("id")}", new { projectIds = new[] { a, b } })).AssertStatus(HttpStatusCode.OK);
        var inB = (await Admin.ConnectionsByExternalIdAsync(b))[externalId];
        Assert.Equal(global.Str("id"), inB.GetProperty("id").GetString());
        Assert.Equal(new[] { flowA, flowB }.Order(StringComparer.Ordinal), (await Admin.ApiGetAsync($"/api/v1/global-connections/{global.Str("id")}")).Body.FlowIds());
        Assert.Equal(0, await _app.WithDbAsync(db => db.AppConnections.CountAsync(c => c.ExternalId == externalId && c.Status == ConnectionStatus.Missing)));
    }

    [Fact]
    public async Task Placeholder_NoLongerReferencedByAnyFlowOfItsProject_IsRemovedButRealConnectionsStay()
    {
        var projectId = await Admin.CreateProjectAsync();
        await Admin.CreateConnectionAsync(projectId, "real");
        var first = await Admin.CreateFlowAsync(projectId, "DISABLED", "pending", "real");
        var second = await Admin.CreateFlowAsync(projectId, "DISABLED", "pending");
        var placeholderId = (await Admin.ConnectionsByExternalIdAsync(projectId))["pending"].GetProperty("id").GetString()!;

        (await Admin.ApiDeleteAsync($"/api/v1/flows/{first}")).AssertStatus(HttpStatusCode.NoContent);
        Assert.Contains("pending", (await Admin.ConnectionsByExternalIdAsync(projectId)).Keys);

        (await Admin.ApiPostAsync($"/api/v1/flows/{second}", new { steps = new[] { UsingConnection("step_1", "something_else") } })).AssertStatus(HttpStatusCode.OK);

        var left = await Admin.ConnectionsByExternalIdAsync(projectId);
        Assert.DoesNotContain("pending", left.Keys);
        Assert.Equal("ACTIVE", left["real"].GetProperty("status").GetString());
        Assert.Equal("MISSING", left["something_else"].GetProperty("status").GetString());
        Assert.Equal(0, await _app.WithDbAsync(db => db.AppConnectionProjects.CountAsync(l => l.ConnectionId == placeholderId)));
    }
}

public sealed class FlowConnectionUsageSqliteTests(SqliteFixture fixture) : FlowConnectionUsageTests(fixture), IClassFixture<SqliteFixture>;

public sealed class FlowConnectionUsagePostgresTests(PostgresFixture fixture) : FlowConnectionUsageTests(fixture), IClassFixture<PostgresFixture>;
