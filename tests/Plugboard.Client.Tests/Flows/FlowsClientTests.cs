using System.Net;
using System.Text.Json.Nodes;
using Plugboard.Client.Tests.Infrastructure;

namespace Plugboard.Client.Tests.Flows;

public sealed class FlowsClientTests(Servers servers)
{
    private const string Slack = "@activepieces/piece-slack";

    private static FlowStepRequest Trigger() => new() { Name = "trigger", PieceName = Slack, Operation = "new_message", PieceVersion = "0.10.0" };

    private static FlowStepRequest UsingConnection(string name, string externalId) => new()
    {
        Name = name,
        PieceName = Slack,
        Operation = "send_message",
        PieceVersion = "0.10.0",
        Input = new JsonObject { ["auth"] = $"{{{{connections['{externalId}']}}}}", ["channel"] = "#general" },
    };

    private static async Task<string> SlackConnectionAsync(PlugboardClient client, string projectId, string externalId) =>
        (await client.AppConnections.UpsertAsync(new UpsertAppConnectionRequest
        {
            ProjectId = projectId, ExternalId = externalId, DisplayName = externalId, PieceName = Slack, Value = new SecretTextValue("xoxb-" + externalId),
        })).ExternalId;

    [Fact]
    public async Task CreateGetUpdateSwitchListDelete_RoundTripThroughTheServer()
    {
        var server = await servers.SqliteAsync();
        var client = server.Client();
        var project = await server.NewProjectAsync();
        var first = await SlackConnectionAsync(client, project.Id, "slack-first");
        var second = await SlackConnectionAsync(client, project.Id, "slack-second");

        var created = await client.Flows.CreateAsync(new CreateFlowRequest
        {
            ProjectId = project.Id,
            DisplayName = "Notify",
            Trigger = Trigger(),
            Steps = [UsingConnection("step_1", first)],
        });
        var read = await client.Flows.GetAsync(created.Id);
        var updated = await client.Flows.UpdateAsync(created.Id, new UpdateFlowRequest { DisplayName = "Notify all", Status = FlowStatus.Enabled });
        var switched = await client.Flows.SwitchStepConnectionAsync(created.Id, "step_1", new SwitchStepConnectionRequest { Connection = second });
        var switchedAgain = await client.Flows.SwitchStepConnectionAsync(created.Id, "step_1", new SwitchStepConnectionRequest { Connection = second });

        Assert.Equal((FlowStatus.Disabled, "trigger"), (created.Status, created.Trigger.Name));
        Assert.Equal([first], created.ConnectionIds);
        Assert.Equal("#general", read.Steps[0].Input["channel"]?.GetValue<string>());
        Assert.Equal(("Notify all", FlowStatus.Enabled), (updated.DisplayName, updated.Status));
        Assert.Equal([second], switched.ConnectionIds);
        Assert.Equal("{{connections['slack-second']}}", switched.Steps[0].Input["auth"]?.GetValue<string>());
        Assert.Equal(switched.Updated, switchedAgain.Updated, TimeSpan.FromMilliseconds(1));
        Assert.DoesNotContain("connections", read.Steps[0].ToString(), StringComparison.Ordinal);

        await client.Flows.CreateAsync(new CreateFlowRequest { ProjectId = project.Id, DisplayName = "Second", Trigger = Trigger() });
        await client.Flows.CreateAsync(new CreateFlowRequest { ProjectId = project.Id, DisplayName = "Third", Trigger = Trigger() });
        var query = new FlowQuery { ProjectId = project.Id, Limit = 2 };
        var firstPage = await client.Flows.ListAsync(query);
        var all = await client.Flows.ListAllAsync(query).ToListAsync();
        var enabled = await client.Flows.ListAllAsync(query with { Status = FlowStatus.Enabled }).ToListAsync();
        Assert.NotNull(firstPage.Next);
        Assert.Equal(3, all.Select(f => f.Id).Distinct().Count());
        Assert.Equal(created.Id, Assert.Single(enabled).Id);

        await client.Flows.DeleteAsync(created.Id);
        var gone = await Assert.ThrowsAsync<PlugboardApiException>(() => client.Flows.GetAsync(created.Id));
        Assert.Equal((HttpStatusCode.NotFound, "ENTITY_NOT_FOUND"), (gone.StatusCode, gone.Code));
    }

    [Fact]
    public async Task Create_ReferencingAConnectionNotThereYet_CreatesItMissing()
    {
        var server = await servers.SqliteAsync();
        var client = server.Client();
        var project = await server.NewProjectAsync();

        var flow = await client.Flows.CreateAsync(new CreateFlowRequest
        {
            ProjectId = project.Id, DisplayName = "Later", Trigger = Trigger(), Steps = [UsingConnection("step_1", "slack-later")],
        });

        var placeholder = Assert.Single(await client.AppConnections.ListAllAsync(new AppConnectionQuery { ProjectId = project.Id, Scope = ConnectionScope.Project }).ToListAsync());
        Assert.Equal(("slack-later", ConnectionStatus.Missing), (placeholder.ExternalId, placeholder.Status));
        Assert.Equal(["slack-later"], flow.ConnectionIds);
    }

    [Fact]
    public async Task SwitchAndUpdateAndList_BadInput_SurfaceAsTheDocumentedErrors()
    {
        var server = await servers.SqliteAsync();
        var client = server.Client();
        var project = await server.NewProjectAsync();
        var flow = await client.Flows.CreateAsync(new CreateFlowRequest
        {
            ProjectId = project.Id, DisplayName = "Errors", Trigger = Trigger(), Steps = [UsingConnection("step_1", await SlackConnectionAsync(client, project.Id, "slack"))],
        });

        var noConnection = await Assert.ThrowsAsync<PlugboardApiException>(() =>
            client.Flows.SwitchStepConnectionAsync(flow.Id, "step_1", new SwitchStepConnectionRequest { Connection = "no-such-connection" }));
        var noStep = await Assert.ThrowsAsync<PlugboardApiException>(() =>
            client.Flows.SwitchStepConnectionAsync(flow.Id, "step_9", new SwitchStepConnectionRequest { Connection = "slack" }));
        var noFlow = await Assert.ThrowsAsync<PlugboardApiException>(() => client.Flows.UpdateAsync("no-such-flow", new UpdateFlowRequest { DisplayName = "x" }));
        var blankName = await Assert.ThrowsAsync<PlugboardApiException>(() => client.Flows.UpdateAsync(flow.Id, new UpdateFlowRequest { DisplayName = "" }));
        var duplicateStep = await Assert.ThrowsAsync<PlugboardApiException>(() => client.Flows.UpdateAsync(flow.Id, new UpdateFlowRequest
        {
            Steps = [UsingConnection("trigger", "slack")],
        }));
        var noProject = await Assert.ThrowsAsync<PlugboardApiException>(() => client.Flows.ListAsync());
        var deleteTwice = await Assert.ThrowsAsync<PlugboardApiException>(async () =>
        {
            await client.Flows.DeleteAsync(flow.Id);
            await client.Flows.DeleteAsync(flow.Id);
        });

        Assert.All([noConnection, noStep, noFlow, deleteTwice], e => Assert.Equal((HttpStatusCode.NotFound, "ENTITY_NOT_FOUND"), (e.StatusCode, e.Code)));
        Assert.All([blankName, duplicateStep, noProject], e => Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION"), (e.StatusCode, e.Code)));
        Assert.Equal(("displayName", "steps[0].name", "projectId"),
            (blankName.Params["field"].GetString(), duplicateStep.Params["field"].GetString(), noProject.Params["field"].GetString()));
    }
}
