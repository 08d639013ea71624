using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Audit;
using Plugboard.Server.Flows;
using Plugboard.Server.Tests.Infrastructure;
using static Plugboard.Server.Tests.Flows.FlowTestData;

namespace Plugboard.Server.Tests.Flows;

public abstract class FlowsApiTests(AppFixture fixture)
{
    private readonly TestApp _app = fixture.App;
    private HttpClient Admin => _app.Client();

    [Fact]
    public async Task Create_ValidFlow_Is201AndReadsBackWithSortedDistinctConnectionIds()
    {
        var projectId = await Admin.CreateProjectAsync();

        var created = await Admin.ApiPostAsync("/api/v1/flows", new
        {
            projectId,
            displayName = "New Slack message to Gelato",
            status = "ENABLED",
            trigger = Step("trigger", new { auth = "{{connections['slack_in']}}" }, operation: "new_message"),
            steps = new[]
            {
                Step("step_1", new { auth = "{{connections.gelato_main}}", body = new { text = "{{trigger.text}}" } }, Gelato, "create_order"),
                Step("step_2", new { headers = new[] { new { token = "{{connections['slack_in'].access_token}}" } } }),
                Step("step_3", new { auth = "{{connections[\"b_multi\",'a_multi']}}" }),
            },
        });

        created.AssertStatus(HttpStatusCode.Created);
        var flowId = created.Str("id");
        Assert.Equal(projectId, created.Str("projectId"));
        Assert.Equal("ENABLED", created.Str("status"));
        Assert.Equal("New Slack message to Gelato", created.Str("displayName"));
        Assert.Equal(["a_multi", "b_multi", "gelato_main", "slack_in"], created.Body.GetProperty("connectionIds").Strings());
        Assert.Equal("new_message", created.Body.GetProperty("trigger").GetProperty("operation").GetString());
        Assert.Equal(["step_1", "step_2", "step_3"], created.Body.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()));

        var read = (await Admin.ApiGetAsync($"/api/v1/flows/{flowId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(created.Body.GetProperty("connectionIds").Strings(), read.Body.GetProperty("connectionIds").Strings());
        Assert.Equal("{{trigger.text}}", read.Body.GetProperty("steps")[0].GetProperty("input").GetProperty("body").GetProperty("text").GetString());
        Assert.Equal("0.10.0", read.Body.GetProperty("steps")[0].GetProperty("pieceVersion").GetString());
        Assert.Equal(Gelato, read.Body.GetProperty("steps")[0].GetProperty("pieceName").GetString());
        var refs = await _app.WithDbAsync(db => db.FlowConnectionRefs.Where(r => r.FlowId == flowId).Select(r => r.ExternalId).ToListAsync());
        Assert.Equal(["a_multi", "b_multi", "gelato_main", "slack_in"], refs.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Create_WithoutStatusOrSteps_IsDisabledWithNoSteps()
    {
        var projectId = await Admin.CreateProjectAsync();

        var created = (await Admin.ApiPostAsync("/api/v1/flows", new { projectId, displayName = "Bare", trigger = Trigger() }))
            .AssertStatus(HttpStatusCode.Created);

        Assert.Equal("DISABLED", created.Str("status"));
        Assert.Empty(created.Body.GetProperty("steps").EnumerateArray());
        Assert.Empty(created.Body.GetProperty("connectionIds").EnumerateArray());
        Assert.Equal(JsonValueKind.Object, created.Body.GetProperty("trigger").GetProperty("input").ValueKind);
    }

    [Theory]
    [InlineData("""{"displayName":null}""", "displayName")]
    [InlineData("""{"displayName":"  "}""", "displayName")]
    [InlineData("""{"status":"ON"}""", "status")]
    [InlineData("""{"trigger":null}""", "trigger")]
    [InlineData("""{"trigger":{"name":"t","pieceName":"","operation":"o"}}""", "trigger.pieceName")]
    [InlineData("""{"trigger":{"name":"t","pieceName":"p"}}""", "trigger.operation")]
    [InlineData("""{"trigger":{"pieceName":"p","operation":"o"}}""", "trigger.name")]
    [InlineData("""{"steps":[{"name":"a","pieceName":"p","operation":"o"},{"name":"b","pieceName":"p","operation":"o","input":[1]}]}""", "steps[1].input")]
    [InlineData("""{"steps":[{"name":"a","pieceName":"p","operation":"o"},{"name":"b","pieceName":"p","operation":"o"},{"name":"c","operation":"o"}]}""", "steps[2].pieceName")]
    [InlineData("""{"steps":[{"name":"a","pieceName":"p","operation":"o"},{"name":"a","pieceName":"p","operation":"o"}]}""", "steps[1].name")]
    [InlineData("""{"steps":[{"name":"trigger","pieceName":"p","operation":"o"}]}""", "steps[0].name")]
    [InlineData("""{"steps":[{"name":"a","pieceName":"p","pieceVersion":"012345678901234567890123456789012","operation":"o"}]}""", "steps[0].pieceVersion")]
    [InlineData("""{"steps":[null]}""", "steps[0]")]
    [InlineData("""{"steps":"nope"}""", "steps")]
    public async Task Create_BadInput_Is400ValidationNamingTheFieldAndWritesNothing(string partial, string field)
    {
        var projectId = await Admin.CreateProjectAsync();
        var body = JsonNode.Parse(partial)!.AsObject();
        body["projectId"] = projectId;
        if (!body.ContainsKey("displayName"))
        {
            body["displayName"] = "Flow";
        }
        if (!body.ContainsKey("trigger"))
        {
            body["trigger"] = JsonNode.Parse("""{"name":"trigger","pieceName":"@activepieces/piece-webhook","operation":"catch"}""");
        }

        var response = await Admin.ApiPostRawAsync("/api/v1/flows", body.ToJsonString());

        response.AssertValidation(field);
        Assert.Equal(0, await _app.WithDbAsync(db => db.Flows.CountAsync(f => f.ProjectId == projectId)));
    }

    [Fact]
    public async Task Create_TooManyStepsOrABadReference_Is400NamingTheField()
    {
        var projectId = await Admin.CreateProjectAsync();
        var tooMany = new { projectId, displayName = "Big", trigger = Trigger(), steps = Enumerable.Range(0, 201).Select(i => Step($"s{i}")).ToArray() };
        (await Admin.ApiPostAsync("/api/v1/flows", tooMany)).AssertValidation("steps");

        var longId = new string('x', 256);
        var badRef = new { projectId, displayName = "Bad ref", trigger = Trigger(), steps = new[] { UsingConnection("s", longId) } };
        (await Admin.ApiPostAsync("/api/v1/flows", badRef)).AssertValidation("steps[0].input");

        var blankRef = new { projectId, displayName = "Blank ref", trigger = Trigger(new { auth = "{{connections['   ']}}" }) };
        (await Admin.ApiPostAsync("/api/v1/flows", blankRef)).AssertValidation("trigger.input");

        var manyRefs = new { projectId, displayName = "Many refs", trigger = Trigger(), steps = new[] { Step("s", Enumerable.Range(0, 101).ToDictionary(i => $"k{i}", i => $"{{{{connections['c{i}']}}}}")) } };
        (await Admin.ApiPostAsync("/api/v1/flows", manyRefs)).AssertValidation("steps[0].input");

        Assert.Equal(0, await _app.WithDbAsync(db => db.Flows.CountAsync(f => f.ProjectId == projectId)));
    }

    [Fact]
    public async Task Update_GivenFields_ReplaceOnlyThoseAndReindexTheReferences()
    {
        var projectId = await Admin.CreateProjectAsync();
        var flowId = await Admin.CreateFlowAsync(projectId, "DISABLED", "first");

        var renamed = (await Admin.ApiPostAsync($"/api/v1/flows/{flowId}", new { displayName = "Renamed" })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("Renamed", renamed.Str("displayName"));
        Assert.Equal("DISABLED", renamed.Str("status"));
        Assert.Equal(["first"], renamed.Body.GetProperty("connectionIds").Strings());

        var enabled = (await Admin.ApiPostAsync($"/api/v1/flows/{flowId}", new { status = "ENABLED" })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("ENABLED", enabled.Str("status"));
        Assert.Equal("Renamed", enabled.Str("displayName"));

        var restepped = (await Admin.ApiPostAsync($"/api/v1/flows/{flowId}", new { steps = new[] { UsingConnection("a", "second"), UsingConnection("b", "third") } }))
            .AssertStatus(HttpStatusCode.OK);
        Assert.Equal(["second", "third"], restepped.Body.GetProperty("connectionIds").Strings());
        Assert.Equal("trigger", restepped.Body.GetProperty("trigger").GetProperty("name").GetString());

        var retriggered = (await Admin.ApiPostAsync($"/api/v1/flows/{flowId}", new { trigger = Step("hook", new { auth = "{{connections.fourth}}" }) }))
            .AssertStatus(HttpStatusCode.OK);
        Assert.Equal(["fourth", "second", "third"], retriggered.Body.GetProperty("connectionIds").Strings());
        Assert.Equal(2, retriggered.Body.GetProperty("steps").GetArrayLength());

        var read = (await Admin.ApiGetAsync($"/api/v1/flows/{flowId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("hook", read.Body.GetProperty("trigger").GetProperty("name").GetString());
        Assert.Equal(["fourth", "second", "third"], read.Body.GetProperty("connectionIds").Strings());
        var refs = await _app.WithDbAsync(db => db.FlowConnectionRefs.Where(r => r.FlowId == flowId).Select(r => r.ExternalId).ToListAsync());
        Assert.Equal(["fourth", "second", "third"], refs.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Update_BadInput_Is400NamingTheChangedFieldAndChangesNothing()
    {
        var projectId = await Admin.CreateProjectAsync();
        var flowId = await Admin.CreateFlowAsync(projectId, "DISABLED", "kept");
        var before = (await Admin.ApiGetAsync($"/api/v1/flows/{flowId}")).Raw;

        (await Admin.ApiPostAsync($"/api/v1/flows/{flowId}", new { displayName = "" })).AssertValidation("displayName");
        (await Admin.ApiPostAsync($"/api/v1/flows/{flowId}", new { status = "PAUSED" })).AssertValidation("status");
        (await Admin.ApiPostAsync($"/api/v1/flows/{flowId}", new { steps = new[] { Step("trigger") } })).AssertValidation("steps[0].name");
        (await Admin.ApiPostAsync($"/api/v1/flows/{flowId}", new { trigger = Step("step_1") })).AssertValidation("trigger.name");
        (await Admin.ApiPostAsync($"/api/v1/flows/{flowId}", new { steps = new[] { Step("x", pieceName: "") } })).AssertValidation("steps[0].pieceName");

        Assert.Equal(before, (await Admin.ApiGetAsync($"/api/v1/flows/{flowId}")).Raw);
    }

    [Fact]
    public async Task Delete_Flow_Is204ThenEveryRouteIs404AndItsRefsAreGone()
    {
        var projectId = await Admin.CreateProjectAsync();
        var flowId = await Admin.CreateFlowAsync(projectId, "ENABLED", "x");

        (await Admin.ApiDeleteAsync($"/api/v1/flows/{flowId}")).AssertStatus(HttpStatusCode.NoContent);

        AssertFlowNotFound(await Admin.ApiGetAsync($"/api/v1/flows/{flowId}"), flowId);
        AssertFlowNotFound(await Admin.ApiPostAsync($"/api/v1/flows/{flowId}", new { displayName = "x" }), flowId);
        AssertFlowNotFound(await Admin.ApiDeleteAsync($"/api/v1/flows/{flowId}"), flowId);
        Assert.Equal(0, await _app.WithDbAsync(db => db.FlowConnectionRefs.CountAsync(r => r.FlowId == flowId)));
    }

    [Fact]
    public async Task AnotherPlatformsFlow_IsNotFoundOnEveryRouteBothWays()
    {
        var projectId = await Admin.CreateProjectAsync();
        var ours = await Admin.CreateFlowAsync(projectId, "ENABLED", "x");
        var (neighbour, neighbourProject) = await _app.OtherPlatformAsync();
        var theirs = await neighbour.CreateFlowAsync(neighbourProject, "ENABLED", "x");

        AssertFlowNotFound(await Admin.ApiGetAsync($"/api/v1/flows/{theirs}"), theirs);
        AssertFlowNotFound(await Admin.ApiPostAsync($"/api/v1/flows/{theirs}", new { displayName = "taken" }), theirs);
        AssertFlowNotFound(await Admin.ApiDeleteAsync($"/api/v1/flows/{theirs}"), theirs);
        (await Admin.ApiGetAsync($"/api/v1/flows?projectId={neighbourProject}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        (await Admin.ApiPostAsync("/api/v1/flows", Flow(neighbourProject, "ENABLED"))).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        AssertFlowNotFound(await neighbour.ApiGetAsync($"/api/v1/flows/{ours}"), ours);

        var theirsRead = (await neighbour.ApiGetAsync($"/api/v1/flows/{theirs}")).AssertStatus(HttpStatusCode.OK);
        Assert.NotEqual("taken", theirsRead.Str("displayName"));
    }

    [Fact]
    public async Task ProjectKey_SeesOnlyItsProjectsFlows()
    {
        var a = await Admin.CreateProjectAsync();
        var b = await Admin.CreateProjectAsync();
        var inB = await Admin.CreateFlowAsync(b, "DISABLED");
        var keyA = await _app.ProjectKeyAsync(a);

        var created = (await keyA.ApiPostAsync("/api/v1/flows", new { displayName = "By A's key", trigger = Trigger() })).AssertStatus(HttpStatusCode.Created);
        Assert.Equal(a, created.Str("projectId"));
        var list = (await keyA.ApiGetAsync("/api/v1/flows")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal([created.Str("id")], list.Body.GetProperty("data").EnumerateArray().Select(f => f.GetProperty("id").GetString()));

        AssertFlowNotFound(await keyA.ApiGetAsync($"/api/v1/flows/{inB}"), inB);
        AssertFlowNotFound(await keyA.ApiDeleteAsync($"/api/v1/flows/{inB}"), inB);
        (await keyA.ApiGetAsync($"/api/v1/flows?projectId={b}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        (await keyA.ApiPostAsync("/api/v1/flows", Flow(b, "DISABLED"))).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        (await Admin.ApiGetAsync($"/api/v1/flows/{inB}")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task List_PagesThroughEveryFlowOnceAndFiltersByStatus()
    {
        var projectId = await Admin.CreateProjectAsync();
        var other = await Admin.CreateProjectAsync();
        await Admin.CreateFlowAsync(other, "ENABLED");
        var created = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => _app.Client().CreateFlowAsync(projectId, i % 3 == 0 ? "ENABLED" : "DISABLED")));

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = (await Admin.ApiGetAsync($"/api/v1/flows?projectId={projectId}&limit=5" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")))
                .AssertStatus(HttpStatusCode.OK).Body;
            seen.AddRange(page.GetProperty("data").EnumerateArray().Select(f => f.GetProperty("id").GetString()!));
            cursor = page.GetProperty("next").GetString();
            pages++;
        }
        while (cursor is not null);
        Assert.Equal(3, pages);
        Assert.Equal(created.Order(), seen.Order());

        var enabled = (await Admin.ApiGetAsync($"/api/v1/flows?projectId={projectId}&status=ENABLED&limit=100")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(4, enabled.Body.GetProperty("data").GetArrayLength());
        Assert.All(enabled.Body.GetProperty("data").EnumerateArray(), f => Assert.Equal("ENABLED", f.GetProperty("status").GetString()));
        var defaultPage = (await Admin.ApiGetAsync($"/api/v1/flows?projectId={projectId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(10, defaultPage.Body.GetProperty("data").GetArrayLength());

        (await Admin.ApiGetAsync($"/api/v1/flows?projectId={projectId}&status=RUNNING")).AssertValidation("status");
        (await Admin.ApiGetAsync($"/api/v1/flows?projectId={projectId}&limit=0")).AssertValidation("limit");
        (await Admin.ApiGetAsync("/api/v1/flows")).AssertValidation("projectId");
    }

    [Fact]
    public async Task Audit_FlowEvents_CarryNamesButNeverInputValues()
    {
        var projectId = await Admin.CreateProjectAsync();
        var canary = "literal-secret-" + Guid.NewGuid().ToString("N");
        var flowId = (await Admin.ApiPostAsync("/api/v1/flows", new
        {
            projectId, displayName = "Audited", status = "ENABLED", trigger = Trigger(), steps = new[] { Step("s", new { api_key = canary }) },
        })).AssertStatus(HttpStatusCode.Created).Str("id");
        await Admin.ApiPostAsync($"/api/v1/flows/{flowId}", new { steps = new[] { Step("s", new { api_key = canary + "2" }) } });
        (await Admin.ApiDeleteAsync($"/api/v1/flows/{flowId}")).AssertStatus(HttpStatusCode.NoContent);

        var events = await _app.WithDbAsync(db => db.AuditEvents.AsNoTracking().Where(e => e.EntityId == flowId).OrderBy(e => e.Created).ToListAsync());

        Assert.Equal(["flow.created", "flow.updated", "flow.deleted"], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal(projectId, e.ProjectId));
        Assert.All(events, e => Assert.Contains("Audited", e.Details));
        Assert.All(events, e => Assert.DoesNotContain(canary, e.Details ?? "", StringComparison.Ordinal));
    }

    private static void AssertFlowNotFound(ApiResponse response, string id)
    {
        response.AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        Assert.Equal("flow", response.Body.GetProperty("params").GetProperty("entityType").GetString());
        Assert.Equal(id, response.Body.GetProperty("params").GetProperty("entityId").GetString());
    }
}

public sealed class FlowsApiSqliteTests(SqliteFixture fixture) : FlowsApiTests(fixture), IClassFixture<SqliteFixture>;

public sealed class FlowsApiPostgresTests(PostgresFixture fixture) : FlowsApiTests(fixture), IClassFixture<PostgresFixture>;
