using Microsoft.Playwright;
using Plugboard.Console.Tests.Infrastructure;

namespace Plugboard.Console.Tests;

public sealed class SigningKeysPageTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task SigningKeys_CreateGenerated_ShowsThePrivateKeyOnceAndDeleteAsksFirst()
    {
        var server = await fixture.SqliteAsync();
        await using var browser = await fixture.BrowserAsync(server, nameof(SigningKeys_CreateGenerated_ShowsThePrivateKeyOnceAndDeleteAsksFirst));
        await browser.SignInAsync(ConsoleServer.AdminKey);
        var page = browser.Page;
        var name = "saas " + Guid.NewGuid().ToString("N")[..8];

        await page.GetByRole(AriaRole.Link, new() { Name = "Signing keys" }).ClickAsync();
        await page.WaitForPageAsync("**/console/signing-keys");
        await browser.ScreenshotAsync("list");
        await page.GetByLabel("Name").FillAsync(name);
        await page.GetByLabel("Issuer").FillAsync("https://saas.example");
        await page.GetByLabel("Audience").FillAsync("plugboard");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create signing key" }).ClickAndLoadAsync();

        var privateKey = (await page.Locator("#new-private-key").TextContentAsync())?.Trim();
        Assert.NotNull(privateKey);
        Assert.StartsWith("-----BEGIN", privateKey, StringComparison.Ordinal);
        Assert.Contains("PRIVATE KEY-----", privateKey, StringComparison.Ordinal);
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "Copy" }).IsVisibleAsync());
        var kid = (await page.Locator("#new-kid").TextContentAsync())?.Trim();
        Assert.False(string.IsNullOrEmpty(kid));
        await browser.ScreenshotAsync("created");

        // The key is the platform's, with what the form said.
        var stored = await server.Api.SigningKeys.ListAllAsync().FirstAsync(k => k.Id == kid, TestContext.Current.CancellationToken);
        Assert.Equal(name, stored.DisplayName);
        Assert.Equal("https://saas.example", stored.Issuer);
        Assert.Equal("plugboard", stored.Audience);

        // A reload is a GET: the private key is gone for good; the row shows name, algorithm, issuer, audience.
        await browser.GotoAsync("/console/signing-keys");
        Assert.Equal(0, await page.Locator("#new-private-key").CountAsync());
        var row = await page.Locator("tr", new() { HasText = name }).TextContentAsync();
        Assert.Contains("RS256", row, StringComparison.Ordinal);
        Assert.Contains("https://saas.example", row, StringComparison.Ordinal);
        Assert.Contains("plugboard", row, StringComparison.Ordinal);
        Assert.Contains(kid!, row, StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Link, new() { Name = $"Delete {name}" }).ClickAsync();
        await page.WaitForPageAsync("**/delete");
        Assert.Contains(name, await page.Locator("dl").TextContentAsync(), StringComparison.Ordinal);
        await browser.ScreenshotAsync("delete");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete signing key" }).ClickAsync();
        await page.WaitForPageAsync("**/console/signing-keys");
        Assert.Equal(0, await page.Locator("tr", new() { HasText = name }).CountAsync());
        Assert.False(await server.Api.SigningKeys.ListAllAsync().AnyAsync(k => k.Id == kid, TestContext.Current.CancellationToken));

        // The private key only ever was in the answer to the create (a POST to the list's own URL).
        await SecretScan.AssertOnlyInOneTimePageAsync(browser, privateKey, "/console/signing-keys");
        var documents = await browser.DocumentsAsync();
        Assert.True(documents.Count(d => d.Url.EndsWith("/console/signing-keys", StringComparison.Ordinal)) >= 3);
        await browser.AssertEveryPageCleanAsync(ConsoleServer.AdminKey);
    }

    [Fact]
    public async Task SigningKeys_RegisterPublicKey_ShowsTheKidAndNoPrivateKey()
    {
        var server = await fixture.SqliteAsync();
        await using var browser = await fixture.BrowserAsync(server, nameof(SigningKeys_RegisterPublicKey_ShowsTheKidAndNoPrivateKey));
        await browser.SignInAsync(ConsoleServer.AdminKey);
        var page = browser.Page;
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var name = "own key " + Guid.NewGuid().ToString("N")[..8];

        await browser.GotoAsync("/console/signing-keys");
        await page.GetByLabel("Name").FillAsync(name);
        await page.GetByLabel("Public key (PEM)").FillAsync(rsa.ExportSubjectPublicKeyInfoPem());
        await page.GetByRole(AriaRole.Button, new() { Name = "Create signing key" }).ClickAndLoadAsync();

        Assert.Contains("registered", await page.Locator(".created h2").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#new-private-key").CountAsync());
        Assert.Contains("not checked", await page.Locator("tr", new() { HasText = name }).TextContentAsync(), StringComparison.Ordinal);
        await browser.AssertEveryPageCleanAsync(ConsoleServer.AdminKey);
    }
}
