using System.Net.Http.Headers;
using System.Text;
using Microsoft.Playwright;
using Plugboard.Client;
using Plugboard.Console.Tests.Infrastructure;

namespace Plugboard.Console.Tests;

public sealed class McpServerToolsPageTests(ConsoleFixture fixture)
{
    private const string Slack = "@activepieces/piece-slack";
    private const string Jira = "@activepieces/piece-jira-cloud";

    [Fact]
    public async Task McpServerEdit_TicksConnectionsAsTools_TheApiAgreesAndRefusalsAreShownInWords()
    {
        var server = await fixture.SqliteAsync();
        var api = server.Api;
        var ct = TestContext.Current.CancellationToken;
        var tag = Guid.NewGuid().ToString("N")[..10];
        var secrets = new[] { $"xoxb-mcp-canary-{tag}", $"jira-mcp-canary-{tag}" };
        var project = await api.Projects.CreateAsync(new CreateProjectRequest { DisplayName = $"Agents {tag}" }, ct);
        await api.AppConnections.UpsertAsync(new UpsertAppConnectionRequest
        {
            ProjectId = project.Id, ExternalId = "slack-main", DisplayName = "Company Slack", PieceName = Slack, Value = new SecretTextValue(secrets[0]),
        }, ct);
        await api.AppConnections.UpsertAsync(new UpsertAppConnectionRequest
        {
            ProjectId = project.Id, ExternalId = "jira", DisplayName = "Jira", PieceName = Jira, Value = new BasicAuthValue("ops@acme.example", secrets[1]),
        }, ct);
        var mcp = await api.McpServers.CreateAsync(new CreateMcpServerRequest { Name = "Support agent", ProjectId = project.Id }, ct);
        await using var browser = await fixture.BrowserAsync(server, nameof(McpServerEdit_TicksConnectionsAsTools_TheApiAgreesAndRefusalsAreShownInWords));
        await browser.SignInAsync(ConsoleServer.AdminKey);
        var page = browser.Page;
        var here = $"/console/projects/{project.Id}/mcp-servers";

        // Reached from the list; each connection of the project is offered, none ticked yet.
        await browser.GotoAsync(here);
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit Support agent" }).ClickAsync();
        await page.WaitForPageAsync("**/edit");
        Assert.False(await page.GetByLabel("Tool for Company Slack").IsCheckedAsync());
        Assert.False(await page.GetByLabel("Tool for Jira").IsCheckedAsync());
        Assert.Equal("custom_api_call", await page.GetByLabel("Action for Jira").InputValueAsync());
        Assert.False(string.IsNullOrEmpty(await page.GetByLabel("Tool name for Jira").InputValueAsync()));
        await browser.ScreenshotAsync("edit");

        // Rename and tick Slack as post_to_slack.
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Support agent 2");
        await page.GetByLabel("Tool for Company Slack").CheckAsync();
        await page.GetByLabel("Tool name for Company Slack").FillAsync("post_to_slack");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await page.WaitForPageAsync("**" + here);
        var saved = await api.McpServers.GetAsync(mcp.Id, ct);
        Assert.Equal("Support agent 2", saved.Name);
        var tool = Assert.Single(saved.Tools);
        Assert.Equal(("PIECE", "post_to_slack"), (tool.Type, tool.ToolName));
        Assert.Equal((Slack, "custom_api_call", "slack-main"), (tool.PieceMetadata!.PieceName, tool.PieceMetadata.ActionName, tool.PieceMetadata.ConnectionExternalId));
        Assert.Contains("post_to_slack", await page.Locator("tr", new() { HasText = "Support agent 2" }).TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("post_to_slack", await ToolsListAsync(server, mcp.Token), StringComparison.Ordinal);

        // Again: the saved tool comes back ticked; swap Slack for Jira.
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit Support agent 2" }).ClickAsync();
        await page.WaitForPageAsync("**/edit");
        Assert.True(await page.GetByLabel("Tool for Company Slack").IsCheckedAsync());
        Assert.Equal("post_to_slack", await page.GetByLabel("Tool name for Company Slack").InputValueAsync());
        await page.GetByLabel("Tool for Company Slack").UncheckAsync();
        await page.GetByLabel("Tool for Jira").CheckAsync();
        await page.GetByLabel("Tool name for Jira").FillAsync("jira_call");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await page.WaitForPageAsync("**" + here);
        tool = Assert.Single((await api.McpServers.GetAsync(mcp.Id, ct)).Tools);
        Assert.Equal(("jira_call", Jira, "jira"), (tool.ToolName, tool.PieceMetadata!.PieceName, tool.PieceMetadata.ConnectionExternalId));

        // A tool name the API refuses: its message, the form as typed, nothing saved.
        await browser.GotoAsync($"{here}/{mcp.Id}/edit");
        await page.GetByLabel("Tool for Company Slack").CheckAsync();
        await page.GetByLabel("Tool name for Company Slack").FillAsync("bad name!");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAndLoadAsync();
        var alert = await page.GetByRole(AriaRole.Alert).TextContentAsync();
        Assert.Contains("toolName", alert, StringComparison.Ordinal);
        Assert.Contains("letters, digits", alert, StringComparison.Ordinal);
        Assert.True(await page.GetByLabel("Tool for Company Slack").IsCheckedAsync());
        Assert.Equal("bad name!", await page.GetByLabel("Tool name for Company Slack").InputValueAsync());
        await browser.ScreenshotAsync("refused");
        // The built-in name is taken.
        await page.GetByLabel("Tool name for Company Slack").FillAsync("list_connections");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAndLoadAsync();
        Assert.Contains("built-in", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        // An empty server name.
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(" ");
        await page.GetByLabel("Tool for Company Slack").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAndLoadAsync();
        Assert.Contains("name", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        var unchanged = await api.McpServers.GetAsync(mcp.Id, ct);
        Assert.Equal("Support agent 2", unchanged.Name);
        Assert.Equal("jira_call", Assert.Single(unchanged.Tools).ToolName);

        // An unknown server: said in words, no form.
        await browser.GotoAsync($"{here}/nosuchserver00000000000/edit");
        Assert.True(await page.GetByRole(AriaRole.Alert).IsVisibleAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).CountAsync());

        await browser.AssertEveryPageCleanAsync([ConsoleServer.AdminKey, mcp.Token, .. secrets]);
    }

    private static async Task<string> ToolsListAsync(ConsoleServer server, string token)
    {
        using var http = server.Process.Client(token);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }
}
