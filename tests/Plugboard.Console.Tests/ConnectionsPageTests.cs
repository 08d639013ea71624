using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Plugboard.Client;
using Plugboard.Console.Tests.Infrastructure;
using Plugboard.Testing.FakeOAuth;

namespace Plugboard.Console.Tests;

public sealed class ConnectionsPageTests(ConsoleFixture fixture)
{
    private const string Slack = "@activepieces/piece-slack";

    public static TheoryData<string> Engines => new("sqlite", "postgres");

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Connections_TableFiltersErrorRowAndDeleteGuard_AsTheApiSays(string engine)
    {
        var server = await fixture.OnAsync(engine);
        var api = server.Api;
        var tag = Guid.NewGuid().ToString("N")[..10];
        var project = await api.Projects.CreateAsync(new CreateProjectRequest { DisplayName = $"Acme {tag}", ExternalId = $"acme-{tag}" });
        // Canaries: distinctive secret values no page may ever contain. The Gelato key keeps the real piece's `gel_`
        // prefix: the embed tests register that piece on the same server, and its pattern then applies here too.
        var secrets = new[] { $"xoxb-canary-{tag}", $"basic-canary-{tag}", $"gel_custom-canary-{tag}" };
        await api.AppConnections.UpsertAsync(new UpsertAppConnectionRequest
        {
            ProjectId = project.Id, ExternalId = "slack-main", DisplayName = "Company Slack", PieceName = Slack, PieceVersion = "0.10.0",
            Value = new SecretTextValue(secrets[0]),
        });
        await api.AppConnections.UpsertAsync(new UpsertAppConnectionRequest
        {
            ProjectId = project.Id, ExternalId = "jira", DisplayName = "Jira", PieceName = "@activepieces/piece-jira-cloud",
            Value = new BasicAuthValue("ops@acme.example", secrets[1]),
        });
        await api.AppConnections.UpsertAsync(new UpsertAppConnectionRequest
        {
            ProjectId = project.Id, ExternalId = "gelato", DisplayName = "Gelato", PieceName = "@activepieces/piece-gelato",
            Value = new CustomAuthValue(new JsonObject { ["api_key"] = secrets[2] }),
        });
        var (broken, oauthSecrets) = await ErrorConnectionAsync(api, project.Id);
        secrets = [.. secrets, .. oauthSecrets];
        var flow = await api.Flows.CreateAsync(new CreateFlowRequest
        {
            ProjectId = project.Id, DisplayName = "Post to Slack", Status = FlowStatus.Enabled,
            Trigger = new FlowStepRequest { Name = "trigger", PieceName = Slack, Operation = "new_message", PieceVersion = "0.10.0" },
            Steps = [new FlowStepRequest
            {
                Name = "step_1", PieceName = Slack, Operation = "send_message", PieceVersion = "0.10.0",
                Input = new JsonObject { ["auth"] = "{{connections['slack-main']}}", ["channel"] = "#general" },
            }],
        });

        await using var browser = await fixture.BrowserAsync(server, $"{nameof(Connections_TableFiltersErrorRowAndDeleteGuard_AsTheApiSays)}-{engine}");
        await browser.SignInAsync(ConsoleServer.AdminKey);
        var page = browser.Page;
        await page.GetByLabel("Search", new() { Exact = true }).FillAsync($"acme-{tag}");
        await page.GetByLabel("Search by").SelectOptionAsync("externalId");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = $"Acme {tag}", Exact = true }).ClickAsync();
        await page.WaitForPageAsync("**/connections");

        Assert.Equal(4, await page.Locator("tbody tr").CountAsync());
        var errorRow = page.Locator("tr.status-error");
        Assert.Equal(1, await errorRow.CountAsync());
        Assert.Contains("CRM", await errorRow.TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("ERROR", await errorRow.TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(broken.StatusReason, (await errorRow.Locator(".reason").TextContentAsync())?.Trim());
        Assert.Equal("rgb(253, 236, 234)", await errorRow.Locator("td").First.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        var slackRow = page.Locator("tr", new() { HasText = "Company Slack" });
        Assert.Equal("1", (await slackRow.Locator("td.number").TextContentAsync())?.Trim());
        await browser.ScreenshotAsync("connections");

        // Filters go to the API as a GET query string.
        await page.GetByLabel("Status").SelectOptionAsync("ERROR");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAndLoadAsync();
        Assert.Contains("status=ERROR", page.Url, StringComparison.Ordinal);
        Assert.Equal(["CRM"], await page.Locator("tbody tr td:nth-child(2)").AllTextContentsAsync());
        await page.GetByRole(AriaRole.Link, new() { Name = "Clear" }).ClickAsync();
        await page.GetByLabel("Piece").FillAsync(Slack);
        await page.GetByLabel("Name").FillAsync("Company");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAndLoadAsync();
        Assert.Equal(["Company Slack"], await page.Locator("tbody tr td:nth-child(2)").AllTextContentsAsync());
        await page.GetByLabel("Scope").SelectOptionAsync("PLATFORM");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAndLoadAsync();
        Assert.Contains("No connection matches", await page.Locator(".empty").TextContentAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "Clear" }).ClickAsync();

        // Delete asks once; the in-use guard's refusal is shown in words and nothing is deleted.
        await page.GetByRole(AriaRole.Link, new() { Name = "Delete Company Slack" }).ClickAsync();
        await page.WaitForPageAsync("**/delete");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete connection" }).ClickAndLoadAsync();
        var refusal = await page.GetByRole(AriaRole.Alert).TextContentAsync();
        Assert.False(string.IsNullOrWhiteSpace(refusal));
        Assert.DoesNotContain("   at ", refusal, StringComparison.Ordinal);
        await browser.ScreenshotAsync("delete-refused");
        Assert.Single((await api.AppConnections.ListAsync(new AppConnectionQuery { ProjectId = project.Id, DisplayName = "Company Slack" })).Data);

        // Once no flow uses it, the same confirmation deletes it.
        await api.Flows.DeleteAsync(flow.Id);
        await browser.GotoAsync(page.Url);
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete connection" }).ClickAsync();
        await page.WaitForPageAsync("**/connections");
        Assert.Equal(3, await page.Locator("tbody tr").CountAsync());
        Assert.Empty((await api.AppConnections.ListAsync(new AppConnectionQuery { ProjectId = project.Id, DisplayName = "Company Slack" })).Data);

        await browser.AssertEveryPageCleanAsync([ConsoleServer.AdminKey, .. secrets]);
    }

    /// An OAuth2 connection whose refresh fails for good: the fake provider revokes its grant, so a forced refresh
    /// meets invalid_grant and the server turns it ERROR with a reason. Its tokens and client secret join the canaries.
    private static async Task<(AppConnection Connection, string[] Secrets)> ErrorConnectionAsync(PlugboardClient api, string projectId)
    {
        await using var provider = await FakeOAuthProvider.StartAsync();
        var clientSecret = "oauth-client-secret-canary-" + Guid.NewGuid().ToString("N")[..8];
        provider.AddClient("crm-client", clientSecret);
        var tokens = provider.IssueTokens("crm-client");
        var created = await api.AppConnections.UpsertAsync(new UpsertAppConnectionRequest
        {
            ProjectId = projectId, ExternalId = "crm", DisplayName = "CRM", PieceName = "@acme/piece-crm",
            Value = new OAuth2Value
            {
                AccessToken = tokens.AccessToken, RefreshToken = tokens.RefreshToken, ExpiresIn = 3600,
                ClientId = "crm-client", ClientSecret = clientSecret, TokenUrl = provider.TokenUrl,
            },
        });
        provider.RevokeAll();
        var refreshed = await api.AppConnections.RefreshAsync(created.Id, force: true);
        Assert.Equal(ConnectionStatus.Error, refreshed.Status);
        Assert.False(string.IsNullOrEmpty(refreshed.StatusReason));
        return (refreshed, [tokens.AccessToken, tokens.RefreshToken, clientSecret]);
    }
}
