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

        // Filter by project: 31 events, newest first, so two pages; Next and Previous walk them.
        await browser.GotoAsync($"/console/audit-log?projectId={project.Id}");
        var first = await page.Locator("tbody tr").AllTextContentsAsync();
        Assert.Equal(25, first.Count);
        Assert.All(first, row => Assert.Contains("project.updated", row, StringComparison.Ordinal));
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "← Previous" }).CountAsync());
        await page.GetByRole(AriaRole.Link, new() { Name = "Next →" }).ClickAsync();
        await page.WaitForPageAsync("**cursor=**");
        var second = await page.Locator("tbody tr").AllTextContentsAsync();
        Assert.Equal(6, second.Count);
        Assert.All(second.Take(5), row => Assert.Contains("project.updated", row, StringComparison.Ordinal));
        Assert.Contains("project.created", second[5], StringComparison.Ordinal);
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

    [Fact]
    public async Task AuditLog_FromAndToInUtc_NarrowTheListKeepOtherFiltersAndPaging()
    {
        var server = await fixture.SqliteAsync();
        await using var browser = await fixture.BrowserAsync(server, nameof(AuditLog_FromAndToInUtc_NarrowTheListKeepOtherFiltersAndPaging));
        await browser.SignInAsync(ConsoleServer.AdminKey);
        var page = browser.Page;
        var ct = TestContext.Current.CancellationToken;
        var project = await server.Api.Projects.CreateAsync(new CreateProjectRequest { DisplayName = "Timed " + Guid.NewGuid().ToString("N")[..6] }, ct);
        for (var i = 0; i < 27; i++)
        {
            await server.Api.Projects.UpdateAsync(project.Id, new UpdateProjectRequest { DisplayName = $"Timed rename {i}" }, ct);
        }
        var events = await server.Api.AuditEvents.ListAllAsync(new AuditEventQuery { ProjectId = project.Id }, ct).ToListAsync(ct);
        Assert.Equal(28, events.Count);
        // Whole minutes around the events, as a datetime-local input holds them (read as UTC).
        var firstMinute = Minute(events.Min(e => e.Created));
        var afterLast = Minute(events.Max(e => e.Created)).AddMinutes(1);

        await browser.GotoAsync($"/console/audit-log?projectId={project.Id}");
        Assert.Equal("datetime-local", await page.GetByLabel("From (UTC)").GetAttributeAsync("type"));
        Assert.Equal("datetime-local", await page.GetByLabel("To (UTC)").GetAttributeAsync("type"));
        await page.GetByLabel("From (UTC)").FillAsync(Local(firstMinute));
        await page.GetByLabel("To (UTC)").FillAsync(Local(afterLast));
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await page.WaitForPageAsync("**from=**");
        Assert.Equal(25, await page.Locator("tbody tr").CountAsync());
        Assert.Equal(Local(firstMinute), await page.GetByLabel("From (UTC)").InputValueAsync());
        await browser.ScreenshotAsync("time-filtered");

        // Next keeps the project and the time range; the last page ends with the creation (newest first).
        await page.GetByRole(AriaRole.Link, new() { Name = "Next →" }).ClickAsync();
        await page.WaitForPageAsync("**cursor=**");
        Assert.Contains("from=", page.Url, StringComparison.Ordinal);
        Assert.Contains("to=", page.Url, StringComparison.Ordinal);
        var second = await page.Locator("tbody tr").AllTextContentsAsync();
        Assert.Equal(3, second.Count);
        Assert.Contains("project.created", second[^1], StringComparison.Ordinal);

        // `from` at the minute after the last event: nothing, and the page says what to do.
        await browser.GotoAsync($"/console/audit-log?projectId={project.Id}&from={Uri.EscapeDataString(Local(afterLast))}");
        Assert.Contains("No event matches", await page.Locator(".empty").TextContentAsync(), StringComparison.Ordinal);
        // `to` at the first minute: nothing before it either.
        await browser.GotoAsync($"/console/audit-log?projectId={project.Id}&to={Uri.EscapeDataString(Local(firstMinute))}");
        Assert.Contains("No event matches", await page.Locator(".empty").TextContentAsync(), StringComparison.Ordinal);

        // A range that ends before it starts: the API's message, in words.
        await browser.GotoAsync($"/console/audit-log?from={Uri.EscapeDataString(Local(afterLast))}&to={Uri.EscapeDataString(Local(firstMinute))}");
        Assert.Contains("to must be later than from", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        // Not a time at all: said in words, not a 500.
        var bad = await browser.GotoAsync("/console/audit-log?from=yesterday");
        Assert.Equal(200, bad!.Status);
        Assert.Contains("read as UTC", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        await browser.AssertEveryPageCleanAsync(ConsoleServer.AdminKey);
    }

    private static DateTime Minute(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, DateTimeKind.Utc);
    }

    private static string Local(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
