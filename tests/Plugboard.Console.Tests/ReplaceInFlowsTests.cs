using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Plugboard.Client;
using Plugboard.Console.Tests.Infrastructure;

namespace Plugboard.Console.Tests;

/// "Replace in flows": a connection's flows are pointed at another connection of the same piece in one step, and the
/// old one deleted when asked (which the in-use guard refused before).
public sealed class ReplaceInFlowsTests(ConsoleFixture fixture)
{
    private const string Slack = "@activepieces/piece-slack";

    [Fact]
    public async Task ReplaceInFlows_PointsTheFlowsAtTheChosenConnectionThenDeletesTheOldOne()
    {
        var server = await fixture.SqliteAsync();
        var api = server.Api;
        var tag = Guid.NewGuid().ToString("N")[..10];
        var project = await api.Projects.CreateAsync(new CreateProjectRequest { DisplayName = $"Replace {tag}", ExternalId = $"replace-{tag}" });
        var secrets = new[] { $"xoxb-old-canary-{tag}", $"xoxb-new-canary-{tag}" };
        await UpsertAsync(api, project.Id, "slack-old", "Old Slack", secrets[0]);
        var replacement = await UpsertAsync(api, project.Id, "slack-new", "New Slack", secrets[1]);
        var flow = await api.Flows.CreateAsync(new CreateFlowRequest
        {
            ProjectId = project.Id, DisplayName = "Post to Slack", Status = FlowStatus.Enabled,
            Trigger = new FlowStepRequest { Name = "trigger", PieceName = Slack, Operation = "new_message", PieceVersion = "0.10.0" },
            Steps = [new FlowStepRequest
            {
                Name = "step_1", PieceName = Slack, Operation = "send_message", PieceVersion = "0.10.0",
                Input = new JsonObject { ["auth"] = "{{connections['slack-old']}}", ["channel"] = "#general" },
            }],
        });

        await using var browser = await fixture.BrowserAsync(server, nameof(ReplaceInFlows_PointsTheFlowsAtTheChosenConnectionThenDeletesTheOldOne));
        await browser.SignInAsync(ConsoleServer.AdminKey);
        var page = browser.Page;
        await browser.GotoAsync($"/console/projects/{project.Id}/connections");
        // Only a connection some flow uses offers it.
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Replace New Slack in its flows" }).CountAsync());
        await page.GetByRole(AriaRole.Link, new() { Name = "Replace Old Slack in its flows" }).ClickAsync();
        await page.WaitForPageAsync("**/replace");
        Assert.Equal([replacement.Id], await page.Locator("#target option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)"));
        await page.GetByLabel("Then delete").CheckAsync();
        await browser.ScreenshotAsync("replace-in-flows");
        await page.GetByRole(AriaRole.Button, new() { Name = "Replace in flows" }).ClickAsync();
        await page.WaitForPageAsync("**/connections");

        var step = (await api.Flows.GetAsync(flow.Id)).Steps.Single(s => s.Name == "step_1");
        Assert.Equal("{{connections['slack-new']}}", step.Input["auth"]?.GetValue<string>());
        var left = (await api.AppConnections.ListAsync(new AppConnectionQuery { ProjectId = project.Id })).Data;
        Assert.Equal([replacement.Id], left.Select(c => c.Id));
        Assert.Equal([flow.Id], left.Single().FlowIds);
        Assert.Equal(0, await page.Locator("tr", new() { HasText = "Old Slack" }).CountAsync());
        await browser.AssertEveryPageCleanAsync([ConsoleServer.AdminKey, .. secrets]);
    }

    private static Task<AppConnection> UpsertAsync(PlugboardClient api, string projectId, string externalId, string name, string secret) =>
        api.AppConnections.UpsertAsync(new UpsertAppConnectionRequest
        {
            ProjectId = projectId, ExternalId = externalId, DisplayName = name, PieceName = Slack, PieceVersion = "0.10.0",
            Value = new SecretTextValue(secret),
        });
}
