using Microsoft.Playwright;
using Plugboard.Client;
using Plugboard.Console.Tests.Infrastructure;

namespace Plugboard.Console.Tests;

public sealed class ProjectsPageTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task Projects_SearchPageAndCreate_WorkThroughTheForms()
    {
        var server = await fixture.SqliteAsync();
        var tag = "paging" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 21; i++)
        {
            await server.Api.Projects.CreateAsync(new CreateProjectRequest { DisplayName = $"{tag} customer {i:00}", ExternalId = $"{tag}-{i:00}" });
        }
        await using var browser = await fixture.BrowserAsync(server, nameof(Projects_SearchPageAndCreate_WorkThroughTheForms));
        await browser.SignInAsync(ConsoleServer.AdminKey);
        var page = browser.Page;

        // By name: 21 rows over two pages of 20.
        await page.GetByLabel("Search", new() { Exact = true }).FillAsync(tag);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAndLoadAsync();
        Assert.Equal(20, await page.Locator("tbody tr").CountAsync());
        await browser.ScreenshotAsync("projects");
        await page.GetByRole(AriaRole.Link, new() { Name = "Next →" }).ClickAndLoadAsync();
        Assert.Equal(1, await page.Locator("tbody tr").CountAsync());
        await page.GetByRole(AriaRole.Link, new() { Name = "← Previous" }).ClickAndLoadAsync();
        Assert.Equal(20, await page.Locator("tbody tr").CountAsync());

        // By externalId: exactly one.
        await page.GetByLabel("Search", new() { Exact = true }).FillAsync($"{tag}-07");
        await page.GetByLabel("Search by").SelectOptionAsync("externalId");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAndLoadAsync();
        Assert.Equal([$"{tag} customer 07"], await page.Locator("tbody tr td:first-child").AllTextContentsAsync());

        // Nothing found says what to do.
        await page.GetByLabel("Search", new() { Exact = true }).FillAsync("no-such-" + tag);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAndLoadAsync();
        Assert.Contains("create it below", await page.Locator(".empty").TextContentAsync(), StringComparison.Ordinal);

        // Create opens the new project's connections, with its empty state.
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync($"{tag} new");
        await page.GetByLabel("externalId").FillAsync($"{tag}-new");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAsync();
        await page.WaitForPageAsync("**/connections");
        Assert.Contains("No connections yet", await page.Locator(".empty").TextContentAsync(), StringComparison.Ordinal);
        Assert.Single((await server.Api.Projects.ListAsync(new ProjectQuery { ExternalId = $"{tag}-new" })).Data);

        // The same externalId again: the API's refusal, in its words.
        await browser.GotoAsync("/console/projects");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync($"{tag} again");
        await page.GetByLabel("externalId").FillAsync($"{tag}-new");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create project" }).ClickAndLoadAsync();
        Assert.False(string.IsNullOrWhiteSpace(await page.GetByRole(AriaRole.Alert).TextContentAsync()));

        await browser.AssertEveryPageCleanAsync(ConsoleServer.AdminKey);
    }
}
