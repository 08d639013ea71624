using Microsoft.Playwright;
using Plugboard.Client;
using Plugboard.Console.Tests.Infrastructure;

namespace Plugboard.Console.Tests;

/// Global connections made, shared, re-shared and deleted from the console; the API and the projects' own keys say what
/// was stored and who sees it.
public sealed class GlobalConnectionsPageTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task GlobalConnectionsPage_CreateShareEditDelete_ApiAndProjectsAgree()
    {
        var server = await fixture.SqliteAsync();
        var api = server.Api;
        var tag = Guid.NewGuid().ToString("N")[..10];
        var projects = new List<Project>();
        foreach (var name in new[] { "Alpha", "Beta", "Gamma" })
        {
            projects.Add(await api.Projects.CreateAsync(new CreateProjectRequest { DisplayName = $"{name} {tag}", ExternalId = $"{name.ToLowerInvariant()}-{tag}" }));
        }
        var (alpha, beta, gamma) = (projects[0], projects[1], projects[2]);
        var piece = $"@g{tag}/piece-ledger";
        await api.Pieces.RegisterAsync(new PieceMetadata
        {
            Name = piece, Version = "1.0.0", DisplayName = "Ledger",
            Auth = [new PieceAuthDefinition { Type = "SECRET_TEXT", DisplayName = "Ledger token" }],
        });
        var secret = $"ledger-canary-{tag}";
        var externalId = $"ledger-{tag}";

        await using var browser = await fixture.BrowserAsync(server, nameof(GlobalConnectionsPage_CreateShareEditDelete_ApiAndProjectsAgree));
        await browser.SignInAsync(ConsoleServer.AdminKey);
        var page = browser.Page;
        await browser.GotoAsync("/console/projects");
        await page.GetByRole(AriaRole.Link, new() { Name = "Global connections" }).ClickAsync();
        await page.WaitForPageAsync("**/console/global-connections");

        // Create: the generated credentials form plus who sees it.
        await page.GetByRole(AriaRole.Link, new() { Name = "+ Add global connection" }).ClickAsync();
        await page.GetByLabel("Piece").SelectOptionAsync(piece);
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await page.WaitForPageAsync("**piece=*");
        Assert.Equal("password", await page.Locator("#cred-secret_text").GetAttributeAsync("type"));
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Shared ledger");
        await page.GetByLabel("externalId").FillAsync(externalId);
        await page.Locator("#cred-secret_text").FillAsync(secret);
        await page.Locator($"#project-{alpha.Id}").CheckAsync();
        await page.Locator($"#project-{beta.Id}").CheckAsync();
        await page.GetByLabel("Pre-select for new projects").CheckAsync();
        await page.GetByLabel("Embedded", new() { Exact = true }).CheckAsync();
        await browser.ScreenshotAsync("create");
        await ConnectionFormsTests.SubmitAsync(page, "Add global connection");
        await page.WaitForPageAsync("**/console/global-connections");

        var created = (await api.GlobalConnections.ListAsync()).Data.Single(c => c.ExternalId == externalId);
        var stored = await api.GlobalConnections.GetAsync(created.Id);
        Assert.Equal(new[] { alpha.Id, beta.Id }.Order(StringComparer.Ordinal), stored.ProjectIds.Order(StringComparer.Ordinal));
        Assert.True(stored.PreSelectForNewProjects);
        Assert.True(stored.Embedded);
        Assert.Equal(("Shared ledger", piece), (stored.DisplayName, stored.PieceName));
        Assert.Contains(externalId, await SeenByAsync(api, alpha));
        Assert.Contains(externalId, await SeenByAsync(api, beta));
        Assert.DoesNotContain(externalId, await SeenByAsync(api, gamma));

        var row = page.Locator("tbody tr", new() { HasTextString = externalId });
        Assert.Equal(["2", "yes", "yes"], [
            (await row.Locator("td:nth-child(5)").TextContentAsync())!.Trim(),
            (await row.Locator("td:nth-child(6)").TextContentAsync())!.Trim(),
            (await row.Locator("td:nth-child(7)").TextContentAsync())!.Trim()]);
        await browser.ScreenshotAsync("list");

        // Edit: one project less, embedded off; the value is not part of this form.
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit Shared ledger" }).ClickAsync();
        await page.WaitForPageAsync("**/edit");
        Assert.Equal(0, await page.Locator("input[type=password]").CountAsync());
        Assert.True(await page.Locator($"#project-{alpha.Id}").IsCheckedAsync());
        Assert.False(await page.Locator($"#project-{gamma.Id}").IsCheckedAsync());
        await page.Locator($"#project-{beta.Id}").UncheckAsync();
        await page.GetByLabel("Embedded", new() { Exact = true }).UncheckAsync();
        await browser.ScreenshotAsync("edit");
        await ConnectionFormsTests.SubmitAsync(page, "Save");
        await page.WaitForPageAsync("**/console/global-connections");
        var edited = await api.GlobalConnections.GetAsync(created.Id);
        Assert.Equal([alpha.Id], edited.ProjectIds);
        Assert.True(edited.PreSelectForNewProjects);
        Assert.False(edited.Embedded);
        Assert.Contains(externalId, await SeenByAsync(api, alpha));
        Assert.DoesNotContain(externalId, await SeenByAsync(api, beta));

        // Delete: asked once, then gone.
        await page.GetByRole(AriaRole.Link, new() { Name = "Delete Shared ledger" }).ClickAsync();
        await page.WaitForPageAsync("**/delete");
        await ConnectionFormsTests.SubmitAsync(page, "Delete global connection");
        await page.WaitForPageAsync("**/console/global-connections");
        // Other tests share this server's platform and its global connections: this one's row is what must be gone.
        Assert.Equal(0, await page.Locator("tr", new() { HasText = "Shared ledger" }).CountAsync());
        Assert.DoesNotContain((await api.GlobalConnections.ListAsync()).Data, c => c.ExternalId == externalId);
        var gone = await Assert.ThrowsAsync<PlugboardApiException>(() => api.GlobalConnections.GetAsync(created.Id));
        Assert.Equal(404, (int)gone.StatusCode);

        Assert.Empty(await SecretScan.PagesHoldingAsync(browser, secret));
        await browser.AssertEveryPageCleanAsync([ConsoleServer.AdminKey, secret]);
    }

    /// The externalIds a project's own key sees in its app-connections list.
    private static async Task<List<string>> SeenByAsync(PlugboardClient api, Project project)
    {
        var key = await api.ApiKeys.CreateAsync(new CreateApiKeyRequest { DisplayName = $"probe {Guid.NewGuid():N}", ProjectId = project.Id });
        var seen = new List<string>();
        await foreach (var c in api.WithKey(key.Value).AppConnections.ListAllAsync(new AppConnectionQuery { ProjectId = project.Id }))
        {
            seen.Add(c.ExternalId);
        }
        return seen;
    }
}
