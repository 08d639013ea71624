using Microsoft.Playwright;
using Plugboard.Client;
using Plugboard.Console.Tests.Infrastructure;

namespace Plugboard.Console.Tests;

/// The platform's OAuth apps and its entries in the provider catalogue, registered, changed and deleted from the
/// console; the API says what was stored, and a client secret is in no page.
public sealed class OAuthAppsPageTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task OAuthAppsPage_RegisterReplaceDelete_ApiAgreesAndSecretNeverShown()
    {
        var server = await fixture.SqliteAsync();
        var api = server.Api;
        var tag = Guid.NewGuid().ToString("N")[..10];
        var piece = $"@o{tag}/piece-gelato";
        var clientId = $"client-{tag}";
        var secret = $"oauth-canary-{tag}";
        var replaced = $"oauth-canary-2-{tag}";

        await using var browser = await fixture.BrowserAsync(server, nameof(OAuthAppsPage_RegisterReplaceDelete_ApiAgreesAndSecretNeverShown));
        await browser.SignInAsync(ConsoleServer.AdminKey);
        var page = browser.Page;
        await page.GetByRole(AriaRole.Link, new() { Name = "OAuth apps" }).First.ClickAsync();
        await page.WaitForPageAsync("**/console/oauth-apps");

        await page.GetByRole(AriaRole.Link, new() { Name = "+ Register OAuth app" }).ClickAsync();
        await page.WaitForPageAsync("**/new");
        Assert.Equal("password", await page.GetByLabel("Client secret").GetAttributeAsync("type"));
        await page.GetByLabel("Piece").FillAsync(piece);
        await page.GetByLabel("Client id").FillAsync(clientId);
        await page.GetByLabel("Client secret").FillAsync(secret);
        await browser.ScreenshotAsync("register");
        await ConnectionFormsTests.SubmitAsync(page, "Register OAuth app");
        await page.WaitForPageAsync("**/console/oauth-apps");

        var app = Assert.Single((await api.OAuthApps.ListAsync(new OAuthAppQuery { PieceName = piece })).Data);
        Assert.Equal(clientId, app.ClientId);
        var row = page.Locator("tbody tr", new() { HasTextString = clientId });
        Assert.Contains(piece, await row.TextContentAsync(), StringComparison.Ordinal);
        await browser.ScreenshotAsync("list");

        // Replace the secret: the form comes prefilled with the piece and client id, never the secret.
        await page.GetByRole(AriaRole.Link, new() { Name = $"Replace secret of {clientId}" }).ClickAsync();
        await page.WaitForPageAsync("**/new?*");
        Assert.Equal((piece, clientId, ""), (await page.GetByLabel("Piece").InputValueAsync(), await page.GetByLabel("Client id").InputValueAsync(),
            await page.GetByLabel("Client secret").InputValueAsync()));
        await page.GetByLabel("Client secret").FillAsync(replaced);
        await ConnectionFormsTests.SubmitAsync(page, "Register OAuth app");
        await page.WaitForPageAsync("**/console/oauth-apps");
        var again = Assert.Single((await api.OAuthApps.ListAsync(new OAuthAppQuery { PieceName = piece })).Data);
        Assert.Equal(app.Id, again.Id);

        // Delete: asked once.
        await page.GetByRole(AriaRole.Link, new() { Name = $"Delete {clientId}" }).ClickAsync();
        await page.WaitForPageAsync("**/delete");
        await ConnectionFormsTests.SubmitAsync(page, "Delete OAuth app");
        await page.WaitForPageAsync("**/console/oauth-apps");
        Assert.Empty((await api.OAuthApps.ListAsync(new OAuthAppQuery { PieceName = piece })).Data);

        Assert.Empty(await SecretScan.PagesHoldingAsync(browser, secret));
        await browser.AssertEveryPageCleanAsync([ConsoleServer.AdminKey, secret, replaced]);
    }

    [Fact]
    public async Task OAuthProvidersPage_AddEditDelete_ApiAgrees()
    {
        var server = await fixture.SqliteAsync();
        var api = server.Api;
        var tag = Guid.NewGuid().ToString("N")[..10];
        var name = $"acme-{tag}";

        await using var browser = await fixture.BrowserAsync(server, nameof(OAuthProvidersPage_AddEditDelete_ApiAgrees));
        await browser.SignInAsync(ConsoleServer.AdminKey);
        var page = browser.Page;
        await browser.GotoAsync("/console/oauth-apps");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "OAuth" }).GetByRole(AriaRole.Link, new() { Name = "Providers" }).ClickAsync();
        await page.WaitForPageAsync("**/console/oauth-providers");
        Assert.Equal("page", await page.GetByRole(AriaRole.Navigation, new() { Name = "OAuth" }).GetByRole(AriaRole.Link, new() { Name = "Providers" }).GetAttributeAsync("aria-current"));
        Assert.True(await page.Locator("tbody tr", new() { HasTextString = "built-in" }).CountAsync() > 0);
        await browser.ScreenshotAsync("providers");

        await page.GetByRole(AriaRole.Link, new() { Name = "+ Add provider" }).ClickAsync();
        await page.WaitForPageAsync("**/new");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Display name").FillAsync("Acme");
        await page.GetByLabel("Authorize URL", new() { Exact = true }).FillAsync($"https://auth.acme.example/{tag}/authorize");
        await page.GetByLabel("Token URL", new() { Exact = true }).FillAsync($"https://auth.acme.example/{tag}/token");
        await page.GetByLabel("Default scopes").FillAsync("read write");
        await browser.ScreenshotAsync("add-provider");
        await ConnectionFormsTests.SubmitAsync(page, "Save provider");
        await page.WaitForPageAsync("**/console/oauth-providers");

        var added = Assert.Single(await api.OAuthProviders.ListAsync(), e => e.Provider.Name == name);
        Assert.Equal(OAuthProviderSource.Platform, added.Source);
        Assert.Equal(($"https://auth.acme.example/{tag}/authorize", $"https://auth.acme.example/{tag}/token", true), (added.Provider.AuthorizeUrl, added.Provider.TokenUrl, added.Provider.Pkce));
        Assert.Equal(["read", "write"], added.Provider.Scopes);
        Assert.Contains("yours", await page.Locator("tbody tr", new() { HasTextString = name }).TextContentAsync(), StringComparison.Ordinal);

        // Edit: prefilled from the entry; scopes and PKCE changed.
        await page.GetByRole(AriaRole.Link, new() { Name = $"Edit {name}" }).ClickAsync();
        await page.WaitForPageAsync("**/new?*");
        Assert.Equal("read write", await page.GetByLabel("Default scopes").InputValueAsync());
        await page.GetByLabel("Default scopes").FillAsync("read");
        await page.GetByLabel("Use PKCE").UncheckAsync();
        await page.GetByLabel("Client authentication at the token URL").SelectOptionAsync("HEADER");
        await ConnectionFormsTests.SubmitAsync(page, "Save provider");
        await page.WaitForPageAsync("**/console/oauth-providers");
        var edited = Assert.Single(await api.OAuthProviders.ListAsync(), e => e.Provider.Name == name).Provider;
        Assert.Equal(["read"], edited.Scopes);
        Assert.Equal((false, OAuthClientAuthMethod.Header, "Acme"), (edited.Pkce, edited.ClientAuthMethod, edited.DisplayName));

        // Delete: asked once; only the platform's own entries have the link.
        await page.GetByRole(AriaRole.Link, new() { Name = $"Delete {name}" }).ClickAsync();
        await page.WaitForPageAsync("**/delete");
        await ConnectionFormsTests.SubmitAsync(page, "Delete provider");
        await page.WaitForPageAsync("**/console/oauth-providers");
        Assert.DoesNotContain(await api.OAuthProviders.ListAsync(), e => e.Provider.Name == name);

        await browser.AssertEveryPageCleanAsync([ConsoleServer.AdminKey]);
    }

    [Fact]
    public async Task OAuthPages_EmptyAndOversizedFields_ShowTheApiMessageNever500()
    {
        var server = await fixture.SqliteAsync();
        var api = server.Api;
        var tag = Guid.NewGuid().ToString("N")[..10];
        var oversized = new string('x', 5000);
        var secret = $"hostile-canary-{tag}-{oversized}";

        await using var browser = await fixture.BrowserAsync(server, nameof(OAuthPages_EmptyAndOversizedFields_ShowTheApiMessageNever500));
        await browser.SignInAsync(ConsoleServer.AdminKey);
        var page = browser.Page;
        await browser.GotoAsync("/console/oauth-apps/new");
        await ConnectionDefinitionsPageTests.SubmitHostileAsync(page, "Register OAuth app");
        Assert.Contains("pieceName", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        await ConnectionDefinitionsPageTests.SubmitHostileAsync(page, "Register OAuth app", ("#pieceName", $"@o{tag}/piece-x"), ("#clientId", oversized), ("#clientSecret", "s"));
        Assert.Contains("clientId must be at most 255 characters", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        await ConnectionDefinitionsPageTests.SubmitHostileAsync(page, "Register OAuth app", ("#pieceName", $"@o{tag}/piece-x"), ("#clientId", "c"), ("#clientSecret", secret));
        Assert.Contains("clientSecret must be at most 4096 characters", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal("", await page.GetByLabel("Client secret").InputValueAsync());
        await browser.ScreenshotAsync("register-refused");
        Assert.Empty((await api.OAuthApps.ListAsync(new OAuthAppQuery { PieceName = $"@o{tag}/piece-x" })).Data);

        await browser.GotoAsync("/console/oauth-providers/new");
        await ConnectionDefinitionsPageTests.SubmitHostileAsync(page, "Save provider", ("#name", ""));
        Assert.Contains("name must be 1–64", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        await ConnectionDefinitionsPageTests.SubmitHostileAsync(page, "Save provider", ("#name", oversized));
        Assert.Contains("name must be 1–64", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        await ConnectionDefinitionsPageTests.SubmitHostileAsync(page, "Save provider", ("#name", $"p-{tag}"), ("#authorizeUrl", "ftp://auth.example/authorize"));
        Assert.Contains("authorizeUrl must be an absolute https URL", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        await ConnectionDefinitionsPageTests.SubmitHostileAsync(page, "Save provider", ("#name", $"p-{tag}"), ("#authorizeUrl", ""), ("#tokenUrl", oversized));
        Assert.Contains("tokenUrl must be an absolute https URL", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        await browser.ScreenshotAsync("provider-refused");
        Assert.DoesNotContain(await api.OAuthProviders.ListAsync(), e => e.Provider.Name == $"p-{tag}");

        await browser.AssertEveryPageCleanAsync([ConsoleServer.AdminKey, secret]);
    }
}
