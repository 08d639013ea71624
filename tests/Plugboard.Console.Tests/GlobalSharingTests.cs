using Microsoft.Playwright;
using Plugboard.Client;
using Plugboard.Console.Tests.Infrastructure;

namespace Plugboard.Console.Tests;

/// Sharing a global connection on a platform with more projects than the form lists: a filter over the listed ones,
/// and the others named by externalId or id.
public sealed class GlobalSharingTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task EditGlobal_ManyProjects_FilterTheListAndNameTheUnlistedOnes()
    {
        var server = await fixture.SqliteAsync();
        var tag = Guid.NewGuid().ToString("N")[..10];
        // A platform of its own: the 101 projects would push other tests' projects out of the shared platform's list.
        var platform = await server.Api.WithKey(ConsoleServer.OperatorKey).Platforms.CreateAsync(new CreatePlatformRequest { Name = $"Many projects {tag}" });
        var api = server.Api.WithKey(platform.AdminApiKey);
        var mine = new List<Project>();
        for (var i = 0; i < 101; i++)
        {
            mine.Add(await api.Projects.CreateAsync(new CreateProjectRequest { DisplayName = $"Tenant {i:D3} {tag}", ExternalId = $"tenant-{i:D3}-{tag}" }));
        }
        var global = await api.GlobalConnections.UpsertAsync(new UpsertGlobalConnectionRequest
        {
            ExternalId = $"shared-{tag}", DisplayName = $"Shared {tag}", PieceName = "@activepieces/piece-slack",
            Value = new SecretTextValue($"shared-canary-{tag}"), ProjectIds = [],
        });

        await using var browser = await fixture.BrowserAsync(server, nameof(EditGlobal_ManyProjects_FilterTheListAndNameTheUnlistedOnes));
        await browser.SignInAsync(platform.AdminApiKey);
        var page = browser.Page;
        await browser.GotoAsync($"/console/global-connections/{global.Id}/edit");
        var listed = (await page.Locator("#sharing-projects input[name=projectIds]").EvaluateAllAsync<string[]>("es => es.map(e => e.value)")).ToHashSet();
        Assert.Equal(100, listed.Count);
        var shown = mine.First(p => listed.Contains(p.Id));
        var unlisted = mine.First(p => !listed.Contains(p.Id));

        // The filter hides every listed project but the one typed.
        await page.GetByLabel("Filter the list").FillAsync(shown.ExternalId!);
        Assert.Equal(1, await page.Locator("#sharing-projects label:visible").CountAsync());
        await page.Locator($"#project-{shown.Id}").CheckAsync();
        await browser.ScreenshotAsync("sharing-filtered");

        // A name that is no project is refused in words and nothing is saved.
        await page.GetByLabel("Also share with").FillAsync($"{unlisted.ExternalId}, no-such-project-{tag}");
        await ConnectionFormsTests.SubmitAsync(page, "Save");
        Assert.Contains($"“no-such-project-{tag}”", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        Assert.Empty((await api.GlobalConnections.GetAsync(global.Id)).ProjectIds);
        Assert.Equal($"{unlisted.ExternalId}, no-such-project-{tag}", await page.GetByLabel("Also share with").InputValueAsync());

        // By externalId and by id: both shared, with the one ticked in the list.
        var third = mine.Last(p => !listed.Contains(p.Id) || p.Id != shown.Id);
        await page.Locator($"#project-{shown.Id}").CheckAsync();
        await page.GetByLabel("Also share with").FillAsync($"{unlisted.ExternalId} {third.Id}");
        await ConnectionFormsTests.SubmitAsync(page, "Save");
        await page.WaitForPageAsync("**/console/global-connections");
        var stored = await api.GlobalConnections.GetAsync(global.Id);
        Assert.Equal(new[] { shown.Id, unlisted.Id, third.Id }.Distinct().Order(StringComparer.Ordinal), stored.ProjectIds.Order(StringComparer.Ordinal));
        await browser.AssertEveryPageCleanAsync(platform.AdminApiKey, $"shared-canary-{tag}");
    }
}
