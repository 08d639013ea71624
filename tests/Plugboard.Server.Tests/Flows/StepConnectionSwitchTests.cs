using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Audit;
using Plugboard.Server.Flows;
using Plugboard.Server.Tests.Infrastructure;
using static Plugboard.Server.Tests.Flows.FlowTestData;

namespace Plugboard.Server.Tests.Flows;

/// POST /api/v1/flows/{id}/steps/{stepName}/connection.
public abstract class StepConnectionSwitchTests(AppFixture fixture)
{
    private readonly TestApp _app = fixture.App;
    private HttpClient Admin => _app.Client();

    private static string Url(string flowId, string stepName) => $"/api/v1/flows/{flowId}/steps/{Uri.EscapeDataString(stepName)}/connection";

    private static string Auth(JsonElement step) => step.GetProperty("input").GetProperty("auth").GetString()!;

    private Task<long> VersionAsync(string flowId) => _app.WithDbAsync(db => db.Flows.Where(f => f.Id == flowId).Select(f => f.Version).SingleAsync());

    [Fact]
    public async Task Switch_OneStep_RewritesOnlyThatStepAndKeepsFlowIdsRight()
    {
        var projectId = await Admin.CreateProjectAsync();
        var oldId = await Admin.CreateConnectionAsync(projectId, "old_slack");
        var newId = await Admin.CreateConnectionAsync(projectId, "new_slack");
        var flowId = await Admin.CreateFlowAsync(projectId, "ENABLED", "old_slack", "old_slack");

        var switched = (await Admin.ApiPostAsync(Url(flowId, "step_2"), new { connection = "new_slack" })).AssertStatus(HttpStatusCode.OK);

        var flow = (await Admin.ApiGetAsync($"/api/v1/flows/{flowId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(flow.Raw, switched.Raw);
        var steps = flow.Body.GetProperty("steps");
        Assert.Equal("{{connections['old_slack']}}", Auth(steps[0]));
        Assert.Equal("{{connections['new_slack']}}", Auth(steps[1]));
        Assert.Equal("#general", steps[1].GetProperty("input").GetProperty("channel").GetString());
        Assert.Equal(["new_slack", "old_slack"], flow.Body.GetProperty("connectionIds").Strings());
        Assert.Equal([flowId], (await Admin.ConnectionAsync(oldId)).FlowIds());
        Assert.Equal([flowId], (await Admin.ConnectionAsync(newId)).FlowIds());
        Assert.Equal(2, await VersionAsync(flowId));
        var audit = await _app.WithDbAsync(db => db.AuditEvents.SingleAsync(e => e.EntityId == flowId && e.Action == "flow.connection_switched"));
        Assert.Equal(projectId, audit.ProjectId);
        Assert.Contains("new_slack", audit.Details, StringComparison.Ordinal);

        (await Admin.ApiPostAsync(Url(flowId, "step_1"), new { connection = "new_slack" })).AssertStatus(HttpStatusCode.OK);

        Assert.Empty((await Admin.ConnectionAsync(oldId)).FlowIds());
        Assert.Equal([flowId], (await Admin.ConnectionAsync(newId)).FlowIds());
        Assert.Equal(3, await VersionAsync(flowId));
    }

    [Fact]
    public async Task Switch_ToGlobalSharedWithTheProject_WorksAndCountsTheFlowOnIt()
    {
        var projectId = await Admin.CreateProjectAsync();
        var ownId = await Admin.CreateConnectionAsync(projectId, "own_gelato", Gelato);
        var globalExternalId = Api.Unique("shared_gelato");
        var globalId = await Admin.CreateGlobalAsync(globalExternalId, projectId);
        var flowId = (await Admin.ApiPostAsync("/api/v1/flows", new
        {
            projectId, displayName = "Gelato flow", status = "ENABLED", trigger = Trigger(),
            steps = new[] { UsingConnection("step_1", "own_gelato", Gelato) },
        })).AssertStatus(HttpStatusCode.Created).Str("id");

        var switched = (await Admin.ApiPostAsync(Url(flowId, "step_1"), new { connection = globalExternalId })).AssertStatus(HttpStatusCode.OK);

        Assert.Equal($"{{{{connections['{globalExternalId}']}}}}", Auth(switched.Body.GetProperty("steps")[0]));
        Assert.Equal([globalExternalId], switched.Body.GetProperty("connectionIds").Strings());
        Assert.Equal([flowId], (await Admin.ConnectionAsync(globalId)).FlowIds());
        Assert.Empty((await Admin.ConnectionAsync(ownId)).FlowIds());
    }

    [Fact]
    public async Task Switch_TriggerWithoutAConnection_GivesItTheConnectionAsAuth()
    {
        var projectId = await Admin.CreateProjectAsync();
        var id = await Admin.CreateConnectionAsync(projectId, "slack");
        var flowId = await Admin.CreateFlowAsync(projectId, "DISABLED");

        var switched = (await Admin.ApiPostAsync(Url(flowId, "trigger"), new { connection = "slack" })).AssertStatus(HttpStatusCode.OK);

        Assert.Equal("{{connections['slack']}}", Auth(switched.Body.GetProperty("trigger")));
        Assert.Equal([flowId], (await Admin.ConnectionAsync(id)).FlowIds());
    }

    [Fact]
    public async Task Switch_AwayFromAPlaceholder_RemovesThePlaceholderNothingReferencesNow()
    {
        var projectId = await Admin.CreateProjectAsync();
        await Admin.CreateConnectionAsync(projectId, "real");
        var flowId = await Admin.CreateFlowAsync(projectId, "DISABLED", "ghost");
        Assert.Equal("MISSING", (await Admin.ConnectionsByExternalIdAsync(projectId))["ghost"].GetProperty("status").GetString());

        (await Admin.ApiPostAsync(Url(flowId, "step_1"), new { connection = "real" })).AssertStatus(HttpStatusCode.OK);

        Assert.False((await Admin.ConnectionsByExternalIdAsync(projectId)).ContainsKey("ghost"));
    }

    [Fact]
    public async Task Switch_BadRequests_AnswerWithTheirErrorAndChangeNothing()
    {
        var projectId = await Admin.CreateProjectAsync();
        var otherProject = await Admin.CreateProjectAsync();
        await Admin.CreateConnectionAsync(projectId, "current");
        await Admin.CreateConnectionAsync(projectId, "gelato", Gelato);
        await Admin.CreateConnectionAsync(otherProject, "elsewhere");
        var notShared = Api.Unique("not_shared");
        await Admin.CreateGlobalAsync(notShared, otherProject);
        var flowId = await Admin.CreateFlowAsync(projectId, "ENABLED", "current", "ghost");
        var before = (await Admin.ApiGetAsync($"/api/v1/flows/{flowId}")).Raw;

        var noFlow = (await Admin.ApiPostAsync(Url("no_such_flow", "step_1"), new { connection = "current" })).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        Assert.Equal("flow", noFlow.Body.GetProperty("params").GetProperty("entityType").GetString());
        var noStep = (await Admin.ApiPostAsync(Url(flowId, "step_9"), new { connection = "current" })).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        Assert.Equal("step_9", noStep.Body.GetProperty("params").GetProperty("entityId").GetString());
        Assert.Contains("step_9", noStep.Body.GetProperty("params").GetProperty("message").GetString(), StringComparison.Ordinal);

        (await Admin.ApiPostAsync(Url(flowId, "step_1"), new { })).AssertValidation("connection");
        (await Admin.ApiPostAsync(Url(flowId, "step_1"), new { connection = "" })).AssertValidation("connection");
        (await Admin.ApiPostAsync(Url(flowId, "step_1"), new { connection = "   " })).AssertValidation("connection");
        (await Admin.ApiPostAsync(Url(flowId, "step_1"), new { connection = "bad\nid" })).AssertValidation("connection");
        (await Admin.ApiPostAsync(Url(flowId, "step_1"), new { connection = new string('x', 300) })).AssertValidation("connection");

        foreach (var unreachable in new[] { "nothing_by_that_name", "elsewhere", notShared, "ghost" })
        {
            var missing = (await Admin.ApiPostAsync(Url(flowId, "step_1"), new { connection = unreachable })).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
            Assert.Equal("app_connection", missing.Body.GetProperty("params").GetProperty("entityType").GetString());
        }
        var otherApp = (await Admin.ApiPostAsync(Url(flowId, "step_1"), new { connection = "gelato" })).AssertValidation("connection");
        Assert.Equal("Connections must be from the same app", otherApp.Body.GetProperty("params").GetProperty("message").GetString());

        Assert.Equal(before, (await Admin.ApiGetAsync($"/api/v1/flows/{flowId}")).Raw);
        Assert.Equal(1, await VersionAsync(flowId));
        Assert.Equal(0, await _app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.EntityId == flowId && e.Action == "flow.connection_switched")));
    }

    [Fact]
    public async Task Switch_ProjectKeys_OwnProjectWorksAnotherProjectGets404()
    {
        var projectId = await Admin.CreateProjectAsync();
        var otherProject = await Admin.CreateProjectAsync();
        await Admin.CreateConnectionAsync(projectId, "first");
        await Admin.CreateConnectionAsync(projectId, "second");
        var flowId = await Admin.CreateFlowAsync(projectId, "ENABLED", "first");

        var stranger = await _app.ProjectKeyAsync(otherProject);
        (await stranger.ApiPostAsync(Url(flowId, "step_1"), new { connection = "second" })).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        Assert.Equal(1, await VersionAsync(flowId));

        var own = await _app.ProjectKeyAsync(projectId);
        var switched = (await own.ApiPostAsync(Url(flowId, "step_1"), new { connection = "second" })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("{{connections['second']}}", Auth(switched.Body.GetProperty("steps")[0]));
    }

    [Fact]
    public async Task Switch_ConcurrentSwitchesOfOneFlow_EachAnswers200Or409AndTheFlowStaysConsistent()
    {
        var projectId = await Admin.CreateProjectAsync();
        await Admin.CreateConnectionAsync(projectId, "a");
        await Admin.CreateConnectionAsync(projectId, "b");
        var flowId = await Admin.CreateFlowAsync(projectId, "ENABLED", "a", "a", "a", "a");

        var answers = await Task.WhenAll(Enumerable.Range(1, 4).Select(i => Admin.ApiPostAsync(Url(flowId, $"step_{i}"), new { connection = "b" })));

        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{(int)a.Status}: {a.Raw}"));
        var flow = (await Admin.ApiGetAsync($"/api/v1/flows/{flowId}")).AssertStatus(HttpStatusCode.OK).Body;
        var switchedCount = flow.GetProperty("steps").EnumerateArray().Count(s => Auth(s) == "{{connections['b']}}");
        Assert.Equal(answers.Count(a => a.Status == HttpStatusCode.OK), switchedCount);
        Assert.Equal(1 + switchedCount, await VersionAsync(flowId));
    }
}

public sealed class StepConnectionSwitchSqliteTests(SqliteFixture fixture) : StepConnectionSwitchTests(fixture), IClassFixture<SqliteFixture>;

public sealed class StepConnectionSwitchPostgresTests(PostgresFixture fixture) : StepConnectionSwitchTests(fixture), IClassFixture<PostgresFixture>;
