using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Plugboard.Client;
using Plugboard.Console.Tests.Infrastructure;

namespace Plugboard.Console.Tests;

/// Connection definitions (seed 004) made, edited, given test credentials and deleted from the console; the API and a
/// test-run engine read say what was stored, and no value typed in comes back in any page.
public sealed class ConnectionDefinitionsPageTests(ConsoleFixture fixture)
{
    private const string Here = "/console/connection-definitions";

    [Fact]
    public async Task ConnectionDefinitionsPage_CreateEditTestCredentialsDelete_ApiAgrees()
    {
        var server = await fixture.SqliteAsync();
        var api = server.Api;
        var tag = Guid.NewGuid().ToString("N")[..10];
        var piece = await RegisterGelatoAsync(api, tag);
        var stableKey = $"gelato-{tag}";
        var baseUrl = $"https://gelato.example/api-{tag}";
        var testKey = $"test-canary-{tag}";

        await using var browser = await fixture.BrowserAsync(server, nameof(ConnectionDefinitionsPage_CreateEditTestCredentialsDelete_ApiAgrees));
        await browser.SignInAsync(ConsoleServer.AdminKey);
        var page = browser.Page;
        await page.GetByRole(AriaRole.Link, new() { Name = "Connection definitions" }).ClickAsync();
        await page.WaitForPageAsync("**" + Here);

        // Create: customer's credentials supplied by the customer, the base URL inherited by every customer.
        await page.GetByRole(AriaRole.Link, new() { Name = "+ Add connection definition" }).ClickAsync();
        await page.WaitForPageAsync("**/new");
        await page.GetByLabel("Piece").SelectOptionAsync(piece);
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await page.WaitForPageAsync("**piece=*");
        Assert.Equal("password", await page.Locator("#cred-api_key").GetAttributeAsync("type"));
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync($"Gelato {tag}");
        await page.GetByLabel("Stable key").FillAsync(stableKey);
        Assert.True(await page.GetByLabel("Customer-specific credentials").IsCheckedAsync());
        Assert.True(await page.GetByLabel("The customer", new() { Exact = true }).IsCheckedAsync());
        await page.Locator("#cred-base_url").FillAsync(baseUrl);
        await page.GetByLabel("Use for embedded workflows").CheckAsync();
        await browser.ScreenshotAsync("create");
        await ConnectionFormsTests.SubmitAsync(page, "Add connection definition");
        await page.WaitForPageAsync("**" + Here);

        var created = await api.ConnectionDefinitions.GetAsync(stableKey);
        Assert.Equal((DefinitionCredentials.Customer, CredentialSupplier.Customer, ConnectionType.CustomAuth, piece, true, false),
            (created.Credentials, created.SuppliedBy, created.Type, created.PieceName, created.Embedded, created.HasTestValue));
        Assert.Equal(["props.base_url"], created.GlobalValueKeys);
        var row = page.Locator("tbody tr", new() { HasTextString = stableKey });
        Assert.Contains("not set", await row.TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("props.base_url", await row.TextContentAsync(), StringComparison.Ordinal);
        await browser.ScreenshotAsync("list");

        // Edit: a new name and the embedded switch off; the global value stays, shown only as set.
        await page.GetByRole(AriaRole.Link, new() { Name = $"Edit Gelato {tag}" }).ClickAsync();
        await page.WaitForPageAsync("**/edit");
        Assert.True(await page.GetByLabel("Use for embedded workflows").IsCheckedAsync());
        Assert.Equal("", await page.Locator("#cred-base_url").InputValueAsync());
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync($"Gelato EU {tag}");
        await page.GetByLabel("Use for embedded workflows").UncheckAsync();
        await browser.ScreenshotAsync("edit");
        await ConnectionFormsTests.SubmitAsync(page, "Save");
        await page.WaitForPageAsync("**" + Here);
        var edited = await api.ConnectionDefinitions.GetAsync(stableKey);
        Assert.Equal(($"Gelato EU {tag}", false), (edited.DisplayName, edited.Embedded));
        Assert.Equal(["props.base_url"], edited.GlobalValueKeys);

        // A customer's connection made from it (through the API, as a backend would).
        var project = await api.Projects.CreateAsync(new CreateProjectRequest { DisplayName = $"Shop {tag}", ExternalId = $"shop-{tag}" });
        var connection = await api.AppConnections.UpsertAsync(new UpsertAppConnectionRequest
        {
            ProjectId = project.Id, ExternalId = $"gelato-{tag}", DisplayName = "Gelato", PieceName = piece, Definition = stableKey,
            Value = new CustomAuthValue(new JsonObject { ["api_key"] = "customer-key" }),
        });
        Assert.Equal(("customer-key", baseUrl), await ReadPropsAsync(api, project.Id, connection.ExternalId, testRun: true));

        // Test credentials: only the field the global values leave is asked for; test runs read it at once.
        await page.GetByRole(AriaRole.Link, new() { Name = $"Test credentials of Gelato EU {tag}" }).ClickAsync();
        await page.WaitForPageAsync("**/test-credentials");
        Assert.Equal(0, await page.Locator("#cred-base_url").CountAsync());
        await page.Locator("#cred-api_key").FillAsync(testKey);
        await browser.ScreenshotAsync("test-credentials");
        await ConnectionFormsTests.SubmitAsync(page, "Set test credentials");
        await page.WaitForPageAsync("**" + Here);
        Assert.True((await api.ConnectionDefinitions.GetAsync(stableKey)).HasTestValue);
        Assert.Equal((testKey, baseUrl), await ReadPropsAsync(api, project.Id, connection.ExternalId, testRun: true));
        Assert.Equal(("customer-key", baseUrl), await ReadPropsAsync(api, project.Id, connection.ExternalId, testRun: false));
        Assert.Contains("set", await page.Locator("tbody tr", new() { HasTextString = stableKey }).Locator("td:nth-child(7)").TextContentAsync(), StringComparison.Ordinal);

        // Remove them: asked once.
        await page.GetByRole(AriaRole.Link, new() { Name = $"Test credentials of Gelato EU {tag}" }).ClickAsync();
        await page.WaitForPageAsync("**/test-credentials");
        await page.GetByRole(AriaRole.Link, new() { Name = "Remove test credentials" }).ClickAsync();
        await page.WaitForPageAsync("**/remove");
        await ConnectionFormsTests.SubmitAsync(page, "Remove test credentials");
        await page.WaitForPageAsync("**" + Here);
        Assert.False((await api.ConnectionDefinitions.GetAsync(stableKey)).HasTestValue);
        Assert.Equal(("customer-key", baseUrl), await ReadPropsAsync(api, project.Id, connection.ExternalId, testRun: true));

        // Delete: refused while a connection is made from it, with the API's words; then done.
        await page.GetByRole(AriaRole.Link, new() { Name = $"Delete Gelato EU {tag}" }).ClickAsync();
        await page.WaitForPageAsync("**/delete");
        await ConnectionFormsTests.SubmitAsync(page, "Delete connection definition");
        Assert.Contains("has 1 connection", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        await browser.ScreenshotAsync("delete-refused");
        Assert.Equal(stableKey, (await api.ConnectionDefinitions.GetAsync(stableKey)).StableKey);
        await api.AppConnections.DeleteAsync(connection.Id);

        // A global value removed on the edit page (its inputs are optional there: each customer supplies the rest).
        await browser.GotoAsync($"{Here}/{created.Id}/edit");
        Assert.DoesNotContain("required", await page.Locator("fieldset.credentials").TextContentAsync(), StringComparison.Ordinal);
        await page.GetByLabel("Remove props.base_url").CheckAsync();
        await ConnectionFormsTests.SubmitAsync(page, "Save");
        await page.WaitForPageAsync("**" + Here);
        Assert.Empty((await api.ConnectionDefinitions.GetAsync(stableKey)).GlobalValueKeys);

        await page.GetByRole(AriaRole.Link, new() { Name = $"Delete Gelato EU {tag}" }).ClickAsync();
        await page.WaitForPageAsync("**/delete");
        await ConnectionFormsTests.SubmitAsync(page, "Delete connection definition");
        await page.WaitForPageAsync("**" + Here);
        var gone = await Assert.ThrowsAsync<PlugboardApiException>(() => api.ConnectionDefinitions.GetAsync(stableKey));
        Assert.Equal(404, (int)gone.StatusCode);

        await browser.AssertEveryPageCleanAsync([ConsoleServer.AdminKey, testKey, baseUrl, "customer-key"]);
    }

    [Fact]
    public async Task ConnectionDefinitionsPage_OrganizationCredentials_BecomeTheOneGlobalConnection()
    {
        var server = await fixture.SqliteAsync();
        var api = server.Api;
        var tag = Guid.NewGuid().ToString("N")[..10];
        var piece = $"@d{tag}/piece-ledger";
        await api.Pieces.RegisterAsync(new PieceMetadata
        {
            Name = piece, Version = "1.0.0", DisplayName = "Ledger", Auth = [new PieceAuthDefinition { Type = "SECRET_TEXT", DisplayName = "Ledger token" }],
        });
        var secret = $"org-canary-{tag}";
        var stableKey = $"ledger-{tag}";

        await using var browser = await fixture.BrowserAsync(server, nameof(ConnectionDefinitionsPage_OrganizationCredentials_BecomeTheOneGlobalConnection));
        await browser.SignInAsync(ConsoleServer.AdminKey);
        var page = browser.Page;
        await browser.GotoAsync($"{Here}/new?piece={Uri.EscapeDataString(piece)}");
        await page.GetByLabel("Stable key").FillAsync(stableKey);
        await page.GetByLabel("Your organization's credentials").CheckAsync();
        await page.Locator("#cred-secret_text").FillAsync(secret);
        await ConnectionFormsTests.SubmitAsync(page, "Add connection definition");
        await page.WaitForPageAsync("**" + Here);

        var created = await api.ConnectionDefinitions.GetAsync(stableKey);
        Assert.Equal((DefinitionCredentials.Organization, (CredentialSupplier?)null, ConnectionType.SecretText), (created.Credentials, created.SuppliedBy, created.Type));
        Assert.Contains("Your organization's", await page.Locator("tbody tr", new() { HasTextString = stableKey }).TextContentAsync(), StringComparison.Ordinal);
        var global = new List<AppConnection>();
        await foreach (var c in api.GlobalConnections.ListAllAsync())
        {
            if (c.Definition == stableKey)
            {
                global.Add(c);
            }
        }
        Assert.Equal(secret, Assert.IsType<SecretTextValue>((await ReadGlobalAsync(api, tag, Assert.Single(global).ExternalId)).Value).SecretText);
        await browser.AssertEveryPageCleanAsync([ConsoleServer.AdminKey, secret]);

        // The server is shared: its global connection goes with it, so other tests' lists stay as they expect.
        await api.ConnectionDefinitions.DeleteAsync(stableKey, cascade: true);
    }

    [Fact]
    public async Task ConnectionDefinitionsPage_EmptyAndOversizedFields_ShowTheApiMessageNever500()
    {
        var server = await fixture.SqliteAsync();
        var api = server.Api;
        var tag = Guid.NewGuid().ToString("N")[..10];
        var piece = await RegisterGelatoAsync(api, tag);
        var oversized = new string('k', 5000);

        await using var browser = await fixture.BrowserAsync(server, nameof(ConnectionDefinitionsPage_EmptyAndOversizedFields_ShowTheApiMessageNever500));
        await browser.SignInAsync(ConsoleServer.AdminKey);
        var page = browser.Page;
        await browser.GotoAsync($"{Here}/new?piece={Uri.EscapeDataString(piece)}");

        await SubmitHostileAsync(page, "Add connection definition", ("#displayName", ""), ("#stableKey", ""));
        Assert.Contains("stableKey is required", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        await browser.ScreenshotAsync("create-refused");
        await SubmitHostileAsync(page, "Add connection definition", ("#displayName", ""), ("#stableKey", $"ok-{tag}"));
        Assert.Contains("displayName must not be empty", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        await SubmitHostileAsync(page, "Add connection definition", ("#displayName", "Gelato"), ("#stableKey", oversized));
        Assert.Contains("at most 128", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        await SubmitHostileAsync(page, "Add connection definition", ("#displayName", oversized), ("#stableKey", $"ok-{tag}"));
        Assert.Contains("displayName must be at most 255 characters", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        await SubmitHostileAsync(page, "Add connection definition", ("#displayName", "Gelato"), ("#stableKey", $"ok-{tag}"), ("#proxyBaseUrl", "ftp://" + oversized));
        Assert.Contains("proxyBaseUrl must be an absolute http(s) URL", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        await Assert.ThrowsAsync<PlugboardApiException>(() => api.ConnectionDefinitions.GetAsync($"ok-{tag}"));

        // Edit and test credentials of a definition made through the API (a secret-text one: an empty test value is refused).
        var ledger = $"@d{tag}/piece-ledger";
        await api.Pieces.RegisterAsync(new PieceMetadata
        {
            Name = ledger, Version = "1.0.0", DisplayName = "Ledger", Auth = [new PieceAuthDefinition { Type = "SECRET_TEXT", DisplayName = "Ledger token" }],
        });
        var definition = await api.ConnectionDefinitions.UpsertAsync(new UpsertConnectionDefinitionRequest
        {
            StableKey = $"hostile-{tag}", DisplayName = "Hostile", PieceName = ledger, Type = ConnectionType.SecretText,
            Credentials = DefinitionCredentials.Customer,
        });
        await browser.GotoAsync($"{Here}/{definition.Id}/edit");
        await SubmitHostileAsync(page, "Save", ("#displayName", ""));
        Assert.Contains("displayName must not be empty", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        await SubmitHostileAsync(page, "Save", ("#displayName", oversized));
        Assert.Contains("at most 255", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        await browser.GotoAsync($"{Here}/{definition.Id}/test-credentials");
        await SubmitHostileAsync(page, "Set test credentials");
        Assert.Contains("secret_text", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        await browser.ScreenshotAsync("test-credentials-refused");
        Assert.Equal(("Hostile", false), ((await api.ConnectionDefinitions.GetAsync(definition.Id)).DisplayName, (await api.ConnectionDefinitions.GetAsync(definition.Id)).HasTestValue));

        await browser.AssertEveryPageCleanAsync([ConsoleServer.AdminKey]);
        await api.ConnectionDefinitions.DeleteAsync(definition.Id);
    }

    /// Fills the fields past the browser's own checks (required, maxlength: a hostile client skips them), submits, and
    /// checks the answer to the POST is the page with the API's refusal, not a server error.
    internal static async Task SubmitHostileAsync(IPage page, string button, params (string Selector, string Value)[] fields)
    {
        await page.EvaluateAsync("() => document.querySelectorAll('[required],[maxlength]').forEach(e => { e.removeAttribute('required'); e.removeAttribute('maxlength'); })");
        foreach (var (selector, value) in fields)
        {
            await page.Locator(selector).FillAsync(value);
        }
        var response = await page.RunAndWaitForResponseAsync(
            () => ConnectionFormsTests.SubmitAsync(page, button),
            r => r.Request.Method == "POST" && r.Request.ResourceType == "document");
        Assert.NotEqual(500, response.Status);
        Assert.True(response.Status == 200, $"{response.Url}: {response.Status} {await response.HeaderValueAsync("location")}");
    }

    private static async Task<string> RegisterGelatoAsync(PlugboardClient api, string tag)
    {
        var piece = $"@d{tag}/piece-gelato";
        await api.Pieces.RegisterAsync(new PieceMetadata
        {
            Name = piece, Version = "1.0.0", DisplayName = "Gelato",
            Auth = [new PieceAuthDefinition
            {
                Type = "CUSTOM_AUTH", DisplayName = "Gelato account",
                Props = new Dictionary<string, PieceProp>
                {
                    ["base_url"] = new() { DisplayName = "Base URL", Type = "SHORT_TEXT", Required = true },
                    ["api_key"] = new() { DisplayName = "API key", Type = "SECRET_TEXT", Required = true },
                },
            }],
        });
        return piece;
    }

    /// A global connection as an engine run of a new project (which sees every global connection) reads it.
    private static async Task<WorkerConnection> ReadGlobalAsync(PlugboardClient api, string tag, string externalId)
    {
        var project = await api.Projects.CreateAsync(new CreateProjectRequest { DisplayName = $"Reader {tag}", ExternalId = $"reader-{tag}" });
        var token = await api.EngineTokens.IssueAsync(new IssueEngineTokenRequest { ProjectId = project.Id, TtlSeconds = 60 });
        return await api.ForEngine(token.Token).ReadConnectionAsync(externalId);
    }

    /// The api_key and base_url an engine run reads for the connection (a test run gets the definition's test value).
    private static async Task<(string? ApiKey, string? BaseUrl)> ReadPropsAsync(PlugboardClient api, string projectId, string externalId, bool testRun)
    {
        var token = await api.EngineTokens.IssueAsync(new IssueEngineTokenRequest { ProjectId = projectId, TtlSeconds = 60, TestRun = testRun });
        var props = Assert.IsType<CustomAuthValue>((await api.ForEngine(token.Token).ReadConnectionAsync(externalId)).Value).Props;
        return (props["api_key"]?.GetValue<string>(), props["base_url"]?.GetValue<string>());
    }
}
