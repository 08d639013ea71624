using Microsoft.Playwright;
using Plugboard.Console.Tests.Infrastructure;

namespace Plugboard.Console.Tests;

public sealed class ApiKeysPageTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task ApiKeys_Create_ShowsTheKeyOnceWithACopyButtonAndDeleteAsksFirst()
    {
        var server = await fixture.SqliteAsync();
        await using var browser = await fixture.BrowserAsync(server, nameof(ApiKeys_Create_ShowsTheKeyOnceWithACopyButtonAndDeleteAsksFirst));
        await browser.SignInAsync(ConsoleServer.AdminKey);
        var page = browser.Page;
        var name = "backend " + Guid.NewGuid().ToString("N")[..8];

        await page.GetByRole(AriaRole.Link, new() { Name = "API keys" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAndLoadAsync();

        var key = (await page.Locator("#new-key").TextContentAsync())?.Trim();
        Assert.StartsWith("sk-", key, StringComparison.Ordinal);
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "Copy" }).IsVisibleAsync());
        await browser.ScreenshotAsync("api-key-created");
        // The key works: it is a real key of the platform.
        using (var http = server.Process.Client(key))
        {
            Assert.True((await http.GetAsync("/api/v1/projects?limit=1")).IsSuccessStatusCode);
        }

        // A reload is a GET: the key is gone for good, only its last four characters remain.
        await browser.GotoAsync("/console/api-keys");
        Assert.Equal(0, await page.Locator("#new-key").CountAsync());
        var row = page.Locator("tr", new() { HasText = name });
        Assert.Contains("…" + key![^4..], await row.TextContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Link, new() { Name = $"Delete {name}" }).ClickAsync();
        await page.WaitForPageAsync("**/delete");
        Assert.Contains(name, await page.Locator("dl").TextContentAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete key" }).ClickAsync();
        await page.WaitForPageAsync("**/console/api-keys");
        Assert.Equal(0, await page.Locator("tr", new() { HasText = name }).CountAsync());
        using (var http = server.Process.Client(key))
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/projects?limit=1")).StatusCode);
        }

        // Only the page answering the create may hold the new key; every page is clean of the signed-in key.
        var documents = await browser.DocumentsAsync();
        Assert.Single(documents, d => d.Body.Contains(key, StringComparison.Ordinal));
        await browser.AssertEveryPageCleanAsync(ConsoleServer.AdminKey);
    }
}
