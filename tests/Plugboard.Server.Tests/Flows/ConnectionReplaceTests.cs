using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Audit;
using Plugboard.Server.Flows;
using Plugboard.Server.Tests.Infrastructure;
using static Plugboard.Server.Tests.Flows.FlowTestData;

namespace Plugboard.Server.Tests.Flows;

/// POST /api/v1/app-connections/replace.
public abstract class ConnectionReplaceTests(AppFixture fixture)
{
    private readonly TestApp _app = fixture.App;
    private HttpClient Admin => _app.Client();

    private static object EveryForm(string id) => new
    {
        auth = $"{{{{connections['{id}']}}}}",
        token = $"Bearer {{{{connections[\"{id}\"].access_token}}}}",
        team = $"{{{{connections.{id}.data.team}}}}",
        both = $"{{{{connections['keep','{id}']}}}}",
        nested = new object[] { new { deep = $"{{{{connections['{id}']['data']}}}}" }, 7 },
        unrelated = $"{{{{connections['{id}x']}}}} {id}",
    };

    [Fact]
    public async Task Replace_RewritesEveryReferenceFormKeepingPathsInThisProjectOnly()
    {
        var projectId = await Admin.CreateProjectAsync();
        var otherProject = await Admin.CreateProjectAsync();
        var source = await Admin.CreateConnectionAsync(projectId, "src");
        var target = await Admin.CreateConnectionAsync(projectId, "tgt");
        var everyForm = (await Admin.ApiPostAsync("/api/v1/flows", new
        {
            projectId, displayName = "Every form", status = "ENABLED",
            trigger = Trigger(new { auth = "{{connections.src}}" }),
            steps = new[] { Step("step_1", EveryForm("src")) },
        })).AssertStatus(HttpStatusCode.Created).Str("id");
        var disabled = await Admin.CreateFlowAsync(projectId, "DISABLED", "src");
        var untouched = await Admin.CreateFlowAsync(projectId, "ENABLED", "other");
        await Admin.CreateConnectionAsync(otherProject, "src");
        var elsewhere = await Admin.CreateFlowAsync(otherProject, "ENABLED", "src");
        var untouchedBefore = (await Admin.ApiGetAsync($"/api/v1/flows/{untouched}")).Raw;
        var elsewhereBefore = (await Admin.ApiGetAsync($"/api/v1/flows/{elsewhere}")).Raw;

        (await Admin.ApiPostAsync("/api/v1/app-connections/replace", new { sourceAppConnectionId = source, targetAppConnectionId = target, projectId }))
            .AssertStatus(HttpStatusCode.NoContent);

        var flow = (await Admin.ApiGetAsync($"/api/v1/flows/{everyForm}")).AssertStatus(HttpStatusCode.OK).Body;
        var input = flow.GetProperty("steps")[0].GetProperty("input");
        Assert.Equal("{{connections.tgt}}", flow.GetProperty("trigger").GetProperty("input").GetProperty("auth").GetString());
        Assert.Equal("{{connections['tgt']}}", input.GetProperty("auth").GetString());
        Assert.Equal("Bearer {{connections[\"tgt\"].access_token}}", input.GetProperty("token").GetString());
        Assert.Equal("{{connections.tgt.data.team}}", input.GetProperty("team").GetString());
        Assert.Equal("{{connections['keep','tgt']}}", input.GetProperty("both").GetString());
        Assert.Equal("{{connections['tgt']['data']}}", input.GetProperty("nested")[0].GetProperty("deep").GetString());
        Assert.Equal(7, input.GetProperty("nested")[1].GetInt32());
        Assert.Equal("{{connections['srcx']}} src", input.GetProperty("unrelated").GetString());
        Assert.Equal(["keep", "srcx", "tgt"], flow.GetProperty("connectionIds").Strings());
        Assert.Equal(["tgt"], (await Admin.ApiGetAsync($"/api/v1/flows/{disabled}")).Body.GetProperty("connectionIds").Strings());
        Assert.Equal(untouchedBefore, (await Admin.ApiGetAsync($"/api/v1/flows/{untouched}")).Raw);
        Assert.Equal(elsewhereBefore, (await Admin.ApiGetAsync($"/api/v1/flows/{elsewhere}")).Raw);

        Assert.Empty((await Admin.ConnectionAsync(source)).FlowIds());
        Assert.Equal(new[] { everyForm, disabled }.Order(StringComparer.Ordinal), (await Admin.ConnectionAsync(target)).FlowIds());
        var refs = await _app.WithDbAsync(db => db.FlowConnectionRefs.Where(r => r.ProjectId == projectId && r.ExternalId == "src").CountAsync());
        Assert.Equal(0, refs);
        var audit = await _app.WithDbAsync(db => db.AuditEvents.Where(e => e.EntityId == source && e.Action == "connection.replaced").SingleAsync());
        Assert.Equal(projectId, audit.ProjectId);
    }

    [Fact]
    public async Task Replace_ConnectionsOfDifferentPieces_Is400SameApp()
    {
        var projectId = await Admin.CreateProjectAsync();
        var source = await Admin.CreateConnectionAsync(projectId, "slack");
        var target = await Admin.CreateConnectionAsync(projectId, "gelato", Gelato);
        var flowId = await Admin.CreateFlowAsync(projectId, "ENABLED", "slack");

        var response = await Admin.ApiPostAsync("/api/v1/app-connections/replace", new { sourceAppConnectionId = source, targetAppConnectionId = target, projectId });

        response.AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        Assert.Equal("Connections must be from the same app", response.Body.GetProperty("params").GetProperty("message").GetString());
        Assert.Equal(["slack"], (await Admin.ApiGetAsync($"/api/v1/flows/{flowId}")).Body.GetProperty("connectionIds").Strings());
    }

    [Fact]
    public async Task Replace_SameUnknownOrInvisibleConnection_Is400Or404()
    {
        var projectId = await Admin.CreateProjectAsync();
        var otherProject = await Admin.CreateProjectAsync();
        var source = await Admin.CreateConnectionAsync(projectId, "s");
        var inOther = await Admin.CreateConnectionAsync(otherProject, "t");
        const string unknown = "noSuchConnection00000";

        (await Admin.ApiPostAsync("/api/v1/app-connections/replace", new { sourceAppConnectionId = source, targetAppConnectionId = source, projectId }))
            .AssertValidation("targetAppConnectionId");
        (await Admin.ApiPostAsync("/api/v1/app-connections/replace", new { sourceAppConnectionId = source, projectId }))
            .AssertValidation("targetAppConnectionId");
        var missing = (await Admin.ApiPostAsync("/api/v1/app-connections/replace", new { sourceAppConnectionId = source, targetAppConnectionId = unknown, projectId }))
            .AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        Assert.Equal(unknown, missing.Body.GetProperty("params").GetProperty("entityId").GetString());
        (await Admin.ApiPostAsync("/api/v1/app-connections/replace", new { sourceAppConnectionId = source, targetAppConnectionId = inOther, projectId }))
            .AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        (await Admin.ApiPostAsync("/api/v1/app-connections/replace", new { sourceAppConnectionId = source, targetAppConnectionId = inOther }))
            .AssertValidation("projectId");

        var keyOfOther = await _app.ProjectKeyAsync(otherProject);
        (await keyOfOther.ApiPostAsync("/api/v1/app-connections/replace", new { sourceAppConnectionId = source, targetAppConnectionId = inOther, projectId }))
            .AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        (await keyOfOther.ApiPostAsync("/api/v1/app-connections/replace", new { sourceAppConnectionId = source, targetAppConnectionId = inOther }))
            .AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
    }

    [Fact]
    public async Task Replace_DeleteSourceConnection_DeletesAProjectSourceAndKeepsItOtherwise()
    {
        var projectId = await Admin.CreateProjectAsync();
        var kept = await Admin.CreateConnectionAsync(projectId, "kept");
        var deleted = await Admin.CreateConnectionAsync(projectId, "deleted");
        var target = await Admin.CreateConnectionAsync(projectId, "target");
        await Admin.CreateFlowAsync(projectId, "ENABLED", "kept");
        await Admin.CreateFlowAsync(projectId, "ENABLED", "deleted", "kept");

        (await Admin.ApiPostAsync("/api/v1/app-connections/replace", new { sourceAppConnectionId = kept, targetAppConnectionId = target, projectId, deleteSourceConnection = false }))
            .AssertStatus(HttpStatusCode.NoContent);
        (await Admin.ApiPostAsync("/api/v1/app-connections/replace", new { sourceAppConnectionId = deleted, targetAppConnectionId = target, projectId, deleteSourceConnection = true }))
            .AssertStatus(HttpStatusCode.NoContent);

        Assert.Equal("ACTIVE", (await Admin.ConnectionAsync(kept)).GetProperty("status").GetString());
        (await Admin.ApiGetAsync($"/api/v1/app-connections/{deleted}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        Assert.Equal(2, (await Admin.ConnectionAsync(target)).FlowIds().Length);
        Assert.Equal(1, await _app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.EntityId == deleted && e.Action == "connection.deleted")));
    }

    [Fact]
    public async Task Replace_PlatformSource_IsOnlyRepointedAndUnsharedInThisProject()
    {
        var a = await Admin.CreateProjectAsync();
        var b = await Admin.CreateProjectAsync();
        var externalId = Api.Unique("g");
        var globalId = await Admin.CreateGlobalAsync(externalId, a, b);
        var target = await Admin.CreateConnectionAsync(a, "own_gelato", Gelato);
        var flowA = await Admin.CreateFlowAsync(a, "ENABLED", externalId);
        var flowB = await Admin.CreateFlowAsync(b, "ENABLED", externalId);

        (await Admin.ApiPostAsync("/api/v1/app-connections/replace", new { sourceAppConnectionId = globalId, targetAppConnectionId = target, projectId = a, deleteSourceConnection = true }))
            .AssertStatus(HttpStatusCode.NoContent);

        Assert.Equal(["own_gelato"], (await Admin.ApiGetAsync($"/api/v1/flows/{flowA}")).Body.GetProperty("connectionIds").Strings());
        Assert.Equal([externalId], (await Admin.ApiGetAsync($"/api/v1/flows/{flowB}")).Body.GetProperty("connectionIds").Strings());
        var global = (await Admin.ApiGetAsync($"/api/v1/global-connections/{globalId}")).AssertStatus(HttpStatusCode.OK).Body;
        Assert.Equal([b], global.GetProperty("projectIds").Strings());
        Assert.Equal([flowB], global.FlowIds());
        Assert.Equal("ACTIVE", global.GetProperty("status").GetString());
        Assert.Equal([flowA], (await Admin.ConnectionAsync(target)).FlowIds());
        Assert.DoesNotContain(externalId, (await Admin.ConnectionsByExternalIdAsync(a)).Keys);
    }

    [Fact]
    public async Task Replace_PlatformSourceWithoutDelete_StaysSharedWithThisProject()
    {
        var projectId = await Admin.CreateProjectAsync();
        var externalId = Api.Unique("g");
        var globalId = await Admin.CreateGlobalAsync(externalId, projectId);
        var target = await Admin.CreateConnectionAsync(projectId, "own", Gelato);
        var flowId = await Admin.CreateFlowAsync(projectId, "ENABLED", externalId);

        (await Admin.ApiPostAsync("/api/v1/app-connections/replace", new { sourceAppConnectionId = globalId, targetAppConnectionId = target, projectId }))
            .AssertStatus(HttpStatusCode.NoContent);

        var global = (await Admin.ApiGetAsync($"/api/v1/global-connections/{globalId}")).Body;
        Assert.Equal([projectId], global.GetProperty("projectIds").Strings());
        Assert.Empty(global.FlowIds());
        Assert.Equal(["own"], (await Admin.ApiGetAsync($"/api/v1/flows/{flowId}")).Body.GetProperty("connectionIds").Strings());
    }

    [Fact]
    public async Task Replace_PlaceholderSource_IsRemovedOnceNothingReferencesIt()
    {
        var projectId = await Admin.CreateProjectAsync();
        var flowId = await Admin.CreateFlowAsync(projectId, "DISABLED", "todo");
        var placeholder = (await Admin.ConnectionsByExternalIdAsync(projectId))["todo"].GetProperty("id").GetString()!;
        var target = await Admin.CreateConnectionAsync(projectId, "real_slack");

        (await Admin.ApiPostAsync("/api/v1/app-connections/replace", new { sourceAppConnectionId = placeholder, targetAppConnectionId = target, projectId }))
            .AssertStatus(HttpStatusCode.NoContent);

        Assert.Equal(["real_slack"], (await Admin.ConnectionsByExternalIdAsync(projectId)).Keys);
        Assert.Equal([flowId], (await Admin.ConnectionAsync(target)).FlowIds());
    }

    [Fact]
    public async Task Replace_FailingAfterTheRewrite_RollsBackEveryFlowAndRef()
    {
        var projectId = await Admin.CreateProjectAsync();
        var source = await Admin.CreateConnectionAsync(projectId, "src");
        var target = await Admin.CreateConnectionAsync(projectId, "tgt");
        var flows = new[] { await Admin.CreateFlowAsync(projectId, "ENABLED", "src"), await Admin.CreateFlowAsync(projectId, "DISABLED", "src", "x") };
        var before = await Task.WhenAll(flows.Select(async f => (await Admin.ApiGetAsync($"/api/v1/flows/{f}")).Raw));
        // The last write of the replace (deleting the source) fails inside the database.
        await FailDeletesOfAsync(source);
        try
        {
            var response = await Admin.ApiPostAsync("/api/v1/app-connections/replace",
                new { sourceAppConnectionId = source, targetAppConnectionId = target, projectId, deleteSourceConnection = true });
            response.AssertError(HttpStatusCode.InternalServerError, "INTERNAL_ERROR");
        }
        finally
        {
            await DropFailureAsync(source);
        }

        Assert.Equal(before, await Task.WhenAll(flows.Select(async f => (await Admin.ApiGetAsync($"/api/v1/flows/{f}")).Raw)));
        Assert.Equal(2, await _app.WithDbAsync(db => db.FlowConnectionRefs.CountAsync(r => r.ProjectId == projectId && r.ExternalId == "src")));
        Assert.Equal(0, await _app.WithDbAsync(db => db.FlowConnectionRefs.CountAsync(r => r.ProjectId == projectId && r.ExternalId == "tgt")));
        Assert.Equal(0, await _app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.EntityId == source && e.Action == "connection.replaced")));
        Assert.Equal(2, (await Admin.ConnectionAsync(source)).FlowIds().Length);
    }

    /// A trigger that makes deleting this one connection fail. Ids are [0-9A-Za-z] only, so they can name SQL objects.
    private Task FailDeletesOfAsync(string connectionId) => _app.WithDbAsync(db =>
    {
        Assert.True(Server.Http.Ids.LooksValid(connectionId));
        var sql = db.IsSqlite
            ? $"""
              CREATE TRIGGER fail_{connectionId} BEFORE DELETE ON app_connections WHEN OLD.id = '{connectionId}'
              BEGIN SELECT RAISE(ABORT, 'injected failure'); END;
              """
            : $"""
              CREATE FUNCTION fail_{connectionId}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$;
              CREATE TRIGGER fail_{connectionId} BEFORE DELETE ON app_connections FOR EACH ROW WHEN (OLD.id = '{connectionId}') EXECUTE FUNCTION fail_{connectionId}();
              """;
        return db.Database.ExecuteSqlRawAsync(sql);
    });

    private Task DropFailureAsync(string connectionId) => _app.WithDbAsync(db =>
    {
        var sql = db.IsSqlite
            ? $"DROP TRIGGER fail_{connectionId};"
            : $"DROP TRIGGER fail_{connectionId} ON app_connections; DROP FUNCTION fail_{connectionId}();";
        return db.Database.ExecuteSqlRawAsync(sql);
    });
}

public sealed class ConnectionReplaceSqliteTests(SqliteFixture fixture) : ConnectionReplaceTests(fixture), IClassFixture<SqliteFixture>;

public sealed class ConnectionReplacePostgresTests(PostgresFixture fixture) : ConnectionReplaceTests(fixture), IClassFixture<PostgresFixture>;
