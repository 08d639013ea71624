using System.Net;
using Microsoft.Playwright;
using Plugboard.Console.Tests.Infrastructure;

namespace Plugboard.Console.Tests;

public sealed class PlatformsPageTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task Platforms_CreateDisableEnable_KeyShownOnceAndTheApiFollows()
    {
        var server = await fixture.SqliteAsync();
        await using var browser = await fixture.BrowserAsync(server, nameof(Platforms_CreateDisableEnable_KeyShownOnceAndTheApiFollows));
        var page = browser.Page;
        var name = "Tenant " + Guid.NewGuid().ToString("N")[..8];

        await browser.SignInAsync(ConsoleServer.OperatorKey);
        Assert.EndsWith("/console/platforms", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("Name").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create platform" }).ClickAndLoadAsync();

        var key = (await page.Locator("#new-platform-key").TextContentAsync())!.Trim();
        Assert.StartsWith("sk-", key, StringComparison.Ordinal);
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "Copy" }).IsVisibleAsync());
        Assert.Contains("enabled", await page.Locator("tr", new() { HasText = name }).TextContentAsync(), StringComparison.Ordinal);
        await browser.ScreenshotAsync("created");
        Assert.Equal(HttpStatusCode.OK, await ProjectsStatusAsync(server, key));

        // A reload is a GET: the key is gone for good.
        await browser.GotoAsync("/console/platforms");
        Assert.Equal(0, await page.Locator("#new-platform-key").CountAsync());
        Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);

        // Disable asks once; then the platform's key is refused by the API.
        await page.GetByRole(AriaRole.Link, new() { Name = $"Disable {name}" }).ClickAsync();
        await page.WaitForPageAsync("**/disable");
        Assert.Contains(name, await page.Locator("dl").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await ProjectsStatusAsync(server, key));
        await browser.ScreenshotAsync("disable-confirm");
        await page.GetByRole(AriaRole.Button, new() { Name = "Disable platform" }).ClickAsync();
        await page.WaitForPageAsync("**/console/platforms");
        Assert.Contains("disabled", await page.Locator("tr", new() { HasText = name }).TextContentAsync(), StringComparison.Ordinal);
        await browser.ScreenshotAsync("disabled");
        Assert.Contains(await SettledStatusAsync(server, key, s => s != HttpStatusCode.OK), new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });

        // Enable asks once too; the same key works again.
        await page.GetByRole(AriaRole.Link, new() { Name = $"Enable {name}" }).ClickAsync();
        await page.WaitForPageAsync("**/enable");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enable platform" }).ClickAsync();
        await page.WaitForPageAsync("**/console/platforms");
        Assert.Contains("enabled", await page.Locator("tr", new() { HasText = name }).TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await SettledStatusAsync(server, key, s => s == HttpStatusCode.OK));

        // An empty name: the API's message, nothing created.
        await page.GetByLabel("Name").FillAsync("   ");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create platform" }).ClickAndLoadAsync();
        Assert.Contains("name", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(await NamesAsync(server), n => string.IsNullOrWhiteSpace(n));

        // An unknown platform: said in words.
        await browser.GotoAsync("/console/platforms/nosuchplatform0000000/disable");
        Assert.True(await page.GetByRole(AriaRole.Alert).IsVisibleAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Disable platform" }).CountAsync());

        // The operator key opens only the platforms pages.
        await browser.GotoAsync("/console/projects");
        Assert.EndsWith("/console/platforms", page.Url, StringComparison.Ordinal);

        await SecretScan.AssertOnlyInOneTimePageAsync(browser, key, "/console/platforms");
        await browser.AssertEveryPageCleanAsync(ConsoleServer.OperatorKey, ConsoleServer.AdminKey);
    }

    [Fact]
    public async Task Platforms_PlatformKey_IsSentToProjects()
    {
        var server = await fixture.SqliteAsync();
        await using var browser = await fixture.BrowserAsync(server, nameof(Platforms_PlatformKey_IsSentToProjects));
        await browser.SignInAsync(ConsoleServer.AdminKey);

        foreach (var path in new[] { "/console/platforms", "/console/platforms/x/disable" })
        {
            await browser.GotoAsync(path);
            Assert.EndsWith("/console/projects", browser.Page.Url, StringComparison.Ordinal);
        }
        await browser.AssertEveryPageCleanAsync(ConsoleServer.AdminKey, ConsoleServer.OperatorKey);
    }

    /// The API's answer once it has turned (the platform status cache may take up to a second), or the last one after 5 s.
    private static async Task<HttpStatusCode> SettledStatusAsync(ConsoleServer server, string key, Func<HttpStatusCode, bool> settled)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        var status = await ProjectsStatusAsync(server, key);
        while (!settled(status) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            status = await ProjectsStatusAsync(server, key);
        }
        return status;
    }

    private static async Task<HttpStatusCode> ProjectsStatusAsync(ConsoleServer server, string key)
    {
        using var http = server.Process.Client(key);
        using var response = await http.GetAsync("/api/v1/projects?limit=1", TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    /// Every platform's name (other tests create platforms meanwhile, so a count would not do).
    private static async Task<List<string>> NamesAsync(ConsoleServer server)
    {
        using var http = server.Process.Client(ConsoleServer.OperatorKey);
        var names = new List<string>();
        string? cursor = null;
        do
        {
            var page = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(
                "/api/v1/platforms?limit=100" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)), TestContext.Current.CancellationToken)).RootElement;
            names.AddRange(page.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("name").GetString()!));
            cursor = page.GetProperty("next").GetString();
        }
        while (cursor is not null);
        return names;
    }
}
