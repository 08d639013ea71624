using Microsoft.Playwright;
using Plugboard.Client;
using Plugboard.Console.Tests.Infrastructure;

namespace Plugboard.Console.Tests;

public sealed class AuditLogPageTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task AuditLog_ActionsMade_AreListedFilteredAndPaged()
    {
        var server = await fixture.SqliteAsync();
        await using var browser = await fixture.BrowserAsync(server, nameof(AuditLog_ActionsMade_AreListedFilteredAndPaged));
        await browser.SignInAsync(ConsoleServer.AdminKey);
        var page = browser.Page;
        var ct = TestContext.Current.CancellationToken;

        // An action made in the console: an API key (whose value must never reach the audit log's pages).
        var keyName = "audited " + Guid.NewGuid().ToString("N")[..8];
        await browser.GotoAsync("/console/api-keys");
        await page.GetByLabel("Name").FillAsync(keyName);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAndLoadAsync();
        var apiKey = (await page.Locator("#new-key").TextContentAsync())!.Trim();
        var keyId = (await server.Api.ApiKeys.ListAllAsync(cancellationToken: ct).FirstAsync(k => k.DisplayName == keyName, ct)).Id;

        // And more than a page (25) of events about one project: its creation and 30 renames.
        var project = await server.Api.Projects.CreateAsync(new CreateProjectRequest { DisplayName = "Audited " + Guid.NewGuid().ToString("N")[..6] }, ct);
        for (var i = 0; i < 30; i++)
        {
            await server.Api.Projects.UpdateAsync(project.Id, new UpdateProjectRequest { DisplayName = $"Audited rename {i}" }, ct);
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await page.WaitForPageAsync("**/console/audit-log");
        await browser.ScreenshotAsync("all");
        Assert.True(await page.Locator("tbody tr").CountAsync() > 0);

        // Filter by action: only api_key.created rows, among them the key just made.
        await page.GetByLabel("Action").FillAsync("api_key.created");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await page.WaitForPageAsync("**action=api_key.created**");
        var actions = await page.Locator("tbody tr td:nth-child(2)").AllTextContentsAsync();
        Assert.NotEmpty(actions);
        Assert.All(actions, a => Assert.Equal("api_key.created", a.Trim()));
        Assert.Equal(1, await page.Locator("tbody tr", new() { HasText = keyId }).CountAsync());
        Assert.Contains("API_KEY", await page.Locator("tbody tr", new() { HasText = keyId }).TextContentAsync(), StringComparison.OrdinalIgnoreCase);
        await browser.ScreenshotAsync("filtered");

        // Filter by project: 31 events, so two pages; Next and Previous walk them.
        await browser.GotoAsync($"/console/audit-log?projectId={project.Id}");
        var first = await page.Locator("tbody tr").AllTextContentsAsync();
        Assert.Equal(25, first.Count);
        Assert.Contains("project.created", first[0], StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "← Previous" }).CountAsync());
        await page.GetByRole(AriaRole.Link, new() { Name = "Next →" }).ClickAsync();
        await page.WaitForPageAsync("**cursor=**");
        var second = await page.Locator("tbody tr").AllTextContentsAsync();
        Assert.Equal(6, second.Count);
        Assert.All(second, row => Assert.Contains("project.updated", row, StringComparison.Ordinal));
        Assert.Contains($"projectId={project.Id}", page.Url, StringComparison.Ordinal);
        await browser.ScreenshotAsync("page-2");
        await page.GetByRole(AriaRole.Link, new() { Name = "← Previous" }).ClickAndLoadAsync();
        Assert.Equal(first, await page.Locator("tbody tr").AllTextContentsAsync());

        // Both filters at once narrow to the one creation.
        await page.GetByLabel("Action").FillAsync("project.created");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await page.WaitForPageAsync("**action=project.created**");
        Assert.Equal(1, await page.Locator("tbody tr").CountAsync());

        // Nothing matches: the empty state says what to do.
        await browser.GotoAsync("/console/audit-log?action=no.such_action");
        Assert.Contains("No event matches", await page.Locator(".empty").TextContentAsync(), StringComparison.Ordinal);

        // The new key was only in the answer to its create; no audit page holds it or the signed-in key.
        await SecretScan.AssertOnlyInOneTimePageAsync(browser, apiKey, "/console/api-keys");
        Assert.DoesNotContain(await SecretScan.PagesHoldingAsync(browser, ConsoleServer.AdminKey), _ => true);
        await browser.AssertEveryPageCleanAsync(ConsoleServer.AdminKey);
    }
}
