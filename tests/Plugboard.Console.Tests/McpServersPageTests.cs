using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Playwright;
using Plugboard.Client;
using Plugboard.Console.Tests.Infrastructure;

namespace Plugboard.Console.Tests;

public sealed class McpServersPageTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task McpServers_CreateRotateDelete_ShowEachTokenOnceAndTheOldOneIsRefused()
    {
        var server = await fixture.SqliteAsync();
        await using var browser = await fixture.BrowserAsync(server, nameof(McpServers_CreateRotateDelete_ShowEachTokenOnceAndTheOldOneIsRefused));
        var ct = TestContext.Current.CancellationToken;
        var projectName = "MCP " + Guid.NewGuid().ToString("N")[..8];
        var project = await server.Api.Projects.CreateAsync(new CreateProjectRequest { DisplayName = projectName }, ct);
        await browser.SignInAsync(ConsoleServer.AdminKey);
        var page = browser.Page;
        var here = $"/console/projects/{project.Id}/mcp-servers";

        // Reached from the projects list; a new project has none yet, and the page says what to do.
        await browser.GotoAsync($"/console/projects?q={Uri.EscapeDataString(projectName)}");
        await page.Locator("tr", new() { HasText = projectName }).GetByRole(AriaRole.Link, new() { Name = "MCP servers" }).ClickAsync();
        await page.WaitForPageAsync("**" + here);
        Assert.Contains("No MCP servers yet", await page.Locator(".empty").TextContentAsync(), StringComparison.Ordinal);
        await browser.ScreenshotAsync("empty");

        await page.GetByLabel("Name").FillAsync("Support agent");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create MCP server" }).ClickAndLoadAsync();
        var token = (await page.Locator("#new-mcp-token").TextContentAsync())!.Trim();
        Assert.True(token.Length >= 20);
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "Copy" }).IsVisibleAsync());
        await browser.ScreenshotAsync("created");
        Assert.Equal(HttpStatusCode.OK, await ListToolsAsync(server, token));

        // A reload is a GET: no token; the row lists its tools read-only.
        await browser.GotoAsync(here);
        Assert.Equal(0, await page.Locator("#new-mcp-token").CountAsync());
        var created = await server.Api.McpServers.ListAllAsync(new McpServerQuery { ProjectId = project.Id }, ct).SingleAsync(ct);
        Assert.Contains("list_connections", await page.Locator("tr", new() { HasText = "Support agent" }).TextContentAsync(), StringComparison.Ordinal);
        await browser.ScreenshotAsync("list");

        // Rotate asks once; the answer shows the new token, and the old one is refused by /mcp at once.
        await page.GetByRole(AriaRole.Link, new() { Name = "Rotate token of Support agent" }).ClickAsync();
        await page.WaitForPageAsync("**/rotate");
        Assert.Equal(0, await page.Locator("#new-mcp-token").CountAsync());
        await browser.ScreenshotAsync("rotate-confirm");
        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate token" }).ClickAndLoadAsync();
        var rotated = (await page.Locator("#new-mcp-token").TextContentAsync())!.Trim();
        Assert.NotEqual(token, rotated);
        await browser.ScreenshotAsync("rotated");
        Assert.Equal(HttpStatusCode.Unauthorized, await ListToolsAsync(server, token));
        Assert.Equal(HttpStatusCode.OK, await ListToolsAsync(server, rotated));

        // Reloading the rotate page asks again and shows no token.
        await browser.GotoAsync($"{here}/{created.Id}/rotate");
        Assert.Equal(0, await page.Locator("#new-mcp-token").CountAsync());

        // Delete asks once, then the server and its token are gone.
        await browser.GotoAsync(here);
        await page.GetByRole(AriaRole.Link, new() { Name = "Delete Support agent" }).ClickAsync();
        await page.WaitForPageAsync("**/delete");
        Assert.Contains("Support agent", await page.Locator("dl").TextContentAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete MCP server" }).ClickAsync();
        await page.WaitForPageAsync("**" + here);
        Assert.Equal(0, await page.Locator("tr", new() { HasText = "Support agent" }).CountAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, await ListToolsAsync(server, rotated));

        // Each token only in its own one-time answer; the signed-in key in none.
        await SecretScan.AssertOnlyInOneTimePageAsync(browser, token, here);
        await SecretScan.AssertOnlyInOneTimePageAsync(browser, rotated, $"{here}/{created.Id}/rotate");
        Assert.Single(await browser.DocumentsAsync(), d => d.Url.EndsWith("/rotate", StringComparison.Ordinal)
            && d.Body.Contains("new-mcp-token", StringComparison.Ordinal));
        await browser.AssertEveryPageCleanAsync(ConsoleServer.AdminKey);
    }

    /// What an MCP client does first: tools/list on /mcp with the token as Bearer.
    private static async Task<HttpStatusCode> ListToolsAsync(ConsoleServer server, string token)
    {
        using var http = server.Process.Client(token);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }
}
