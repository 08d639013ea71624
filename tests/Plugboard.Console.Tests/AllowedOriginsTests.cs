using Microsoft.Playwright;
using Plugboard.Client;
using Plugboard.Console.Tests.Infrastructure;

namespace Plugboard.Console.Tests;

/// A platform admin sets the origins that may open the embeddable Connect, next to the signing keys; the operator sees them.
public sealed class AllowedOriginsTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task SigningKeysPage_AllowedOrigins_SavedNormalizedRefusedInWordsAndShownToTheOperator()
    {
        var server = await fixture.SqliteAsync();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var platform = await server.Api.WithKey(ConsoleServer.OperatorKey).Platforms.CreateAsync(new CreatePlatformRequest { Name = $"Origins {tag}" });

        await using var browser = await fixture.BrowserAsync(server, nameof(SigningKeysPage_AllowedOrigins_SavedNormalizedRefusedInWordsAndShownToTheOperator));
        await browser.SignInAsync(platform.AdminApiKey);
        var page = browser.Page;
        await page.GetByRole(AriaRole.Link, new() { Name = "Signing keys" }).ClickAsync();
        await page.WaitForPageAsync("**/console/signing-keys");
        Assert.Contains("refuses every page", await page.Locator("#allowed-origins .empty").TextContentAsync(), StringComparison.Ordinal);

        // Not an origin: the API's words, the text kept, nothing saved.
        await page.GetByLabel("Origins").FillAsync("https://app.example.com\nnot an origin/path");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save origins" }).ClickAndLoadAsync();
        Assert.False(string.IsNullOrWhiteSpace(await page.Locator("#allowed-origins [role=alert]").TextContentAsync()));
        Assert.Contains("not an origin/path", await page.GetByLabel("Origins").InputValueAsync(), StringComparison.Ordinal);
        Assert.Empty((await server.Api.WithKey(platform.AdminApiKey).Platforms.GetAsync(platform.Id)).AllowedOrigins ?? []);

        await page.GetByLabel("Origins").FillAsync($"https://App-{tag}.example.com\nhttp://localhost:5173");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save origins" }).ClickAndLoadAsync();
        await Assertions.Expect(page.Locator("#allowed-origins [role=status]")).ToHaveTextAsync("Saved.");
        await browser.ScreenshotAsync("allowed-origins");
        var saved = (await server.Api.WithKey(platform.AdminApiKey).Platforms.GetAsync(platform.Id)).AllowedOrigins;
        Assert.Equal([$"https://app-{tag}.example.com", "http://localhost:5173"], saved);
        await browser.GotoAsync("/console/signing-keys");
        Assert.Equal($"https://app-{tag}.example.com\nhttp://localhost:5173", await page.GetByLabel("Origins").InputValueAsync());

        // The operator's list shows them.
        await using var operatorBrowser = await fixture.BrowserAsync(server, nameof(SigningKeysPage_AllowedOrigins_SavedNormalizedRefusedInWordsAndShownToTheOperator) + "-operator");
        await operatorBrowser.SignInAsync(ConsoleServer.OperatorKey);
        var row = operatorBrowser.Page.Locator("tr", new() { HasText = $"Origins {tag}" });
        await Assertions.Expect(row).ToContainTextAsync($"https://app-{tag}.example.com, http://localhost:5173");
        await browser.AssertEveryPageCleanAsync(platform.AdminApiKey);
    }
}
