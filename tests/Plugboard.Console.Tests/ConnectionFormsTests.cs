using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Plugboard.Client;
using Plugboard.Console.Tests.Infrastructure;

namespace Plugboard.Console.Tests;

/// Connections made, renamed and re-keyed from forms generated from each piece's registered auth definition; what the
/// server stored is read back the way a running step reads it (an engine token's worker read).
public sealed class ConnectionFormsTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task GeneratedForms_EachAuthKind_StoreExactlyWhatWasTypedAndNeverShowIt()
    {
        var server = await fixture.SqliteAsync();
        var api = server.Api;
        var tag = Guid.NewGuid().ToString("N")[..10];
        var project = await api.Projects.CreateAsync(new CreateProjectRequest { DisplayName = $"Forms {tag}", ExternalId = $"forms-{tag}" });
        var (vault, jira, gelato, crm) = ($"@t{tag}/piece-vault", $"@t{tag}/piece-jira", $"@t{tag}/piece-gelato", $"@t{tag}/piece-crm");
        await RegisterAsync(api, vault, "Vault", new PieceAuthDefinition { Type = "SECRET_TEXT", DisplayName = "Vault token", Description = "A token from Vault's settings page." });
        await RegisterAsync(api, jira, "Jira", new PieceAuthDefinition { Type = "BASIC_AUTH", DisplayName = "Jira account" });
        await RegisterAsync(api, gelato, "Gelato", new PieceAuthDefinition
        {
            Type = "CUSTOM_AUTH", DisplayName = "Gelato API", Required = true,
            Props = new Dictionary<string, PieceProp>
            {
                ["api_key"] = new() { DisplayName = "API key", Type = "SECRET_TEXT", Required = true, Pattern = "^gel_" },
                ["account"] = new() { DisplayName = "Account", Type = "SHORT_TEXT", Required = true, Description = "As shown in Gelato's dashboard." },
                ["region"] = new() { DisplayName = "Region", Type = "STATIC_DROPDOWN", Options = ["eu", "us"] },
                ["sandbox"] = new() { DisplayName = "Sandbox", Type = "CHECKBOX" },
                ["limit"] = new() { DisplayName = "Limit", Type = "NUMBER" },
            },
        });
        await RegisterAsync(api, crm, "CRM", new PieceAuthDefinition { Type = "OAUTH2", DisplayName = "CRM", AuthUrl = "https://crm.example/authorize", TokenUrl = "https://crm.example/token" });
        var secrets = new[] { $"vault-canary-{tag}", $"jira-canary-{tag}", $"gel_canary-{tag}", $"bad-canary-{tag}", $"vault-new-canary-{tag}" };

        await using var browser = await fixture.BrowserAsync(server, nameof(GeneratedForms_EachAuthKind_StoreExactlyWhatWasTypedAndNeverShowIt));
        await browser.SignInAsync(ConsoleServer.AdminKey);
        var page = browser.Page;
        var connections = $"/console/projects/{project.Id}/connections";
        await browser.GotoAsync(connections);
        Assert.Contains("+ Add connection", await page.Locator(".empty").TextContentAsync(), StringComparison.Ordinal);

        // SECRET_TEXT: picked from the registered pieces, one password input.
        await page.GetByRole(AriaRole.Link, new() { Name = "+ Add connection" }).ClickAsync();
        await page.GetByLabel("Piece").SelectOptionAsync(vault);
        await page.GetByRole(AriaRole.Button, new() { Name = "Next" }).ClickAsync();
        await page.WaitForPageAsync("**piece=*");
        Assert.Equal("password", await page.Locator("#cred-secret_text").GetAttributeAsync("type"));
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Vault");
        Assert.Equal("vault", await page.GetByLabel("externalId").InputValueAsync());
        await page.Locator("#cred-secret_text").FillAsync(secrets[0]);
        await browser.ScreenshotAsync("add-secret-text");
        await SubmitAsync(page, "Add connection");
        await page.WaitForPageAsync("**/connections");
        Assert.Equal(secrets[0], Assert.IsType<SecretTextValue>(await ReadAsync(api, project.Id, "vault")).SecretText);

        // Adding never replaces: the same externalId again is refused in words, and the value stays.
        await browser.GotoAsync($"{connections}/new?piece={Uri.EscapeDataString(vault)}");
        await page.Locator("#cred-secret_text").FillAsync(secrets[3]);
        await SubmitAsync(page, "Add connection");
        Assert.Contains("already has a connection with externalId “vault”", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal("", await page.Locator("#cred-secret_text").InputValueAsync());
        Assert.Equal(secrets[0], Assert.IsType<SecretTextValue>(await ReadAsync(api, project.Id, "vault")).SecretText);

        // BASIC_AUTH: username and password.
        await browser.GotoAsync($"{connections}/new?piece={Uri.EscapeDataString(jira)}");
        await page.GetByLabel("Username").FillAsync("ops@acme.example");
        await page.GetByLabel("Password").FillAsync(secrets[1]);
        await browser.ScreenshotAsync("add-basic-auth");
        await SubmitAsync(page, "Add connection");
        await page.WaitForPageAsync("**/connections");
        var basic = Assert.IsType<BasicAuthValue>(await ReadAsync(api, project.Id, "jira"));
        Assert.Equal(("ops@acme.example", secrets[1]), (basic.Username, basic.Password));

        // CUSTOM_AUTH: one input per prop by its type; a required prop left empty is the API's refusal, nothing stored,
        // the non-secret fields kept and the secret ones empty.
        await browser.GotoAsync($"{connections}/new?piece={Uri.EscapeDataString(gelato)}");
        Assert.Equal("password", await page.Locator("#cred-api_key").GetAttributeAsync("type"));
        Assert.Equal(["", "eu", "us"], await page.Locator("#cred-region option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)"));
        Assert.Equal("checkbox", await page.Locator("#cred-sandbox").GetAttributeAsync("type"));
        Assert.Equal(2, await page.Locator("fieldset.credentials .required").CountAsync());
        await page.Locator("#cred-account").FillAsync("acct-42");
        await page.Locator("#cred-region").SelectOptionAsync("us");
        await page.Locator("#cred-sandbox").CheckAsync();
        await page.Locator("#cred-limit").FillAsync("25");
        await browser.ScreenshotAsync("add-custom-auth");
        await SubmitAsync(page, "Add connection");
        Assert.Contains("value.props.api_key is required", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        await browser.ScreenshotAsync("add-custom-auth-refused");
        Assert.Equal("acct-42", await page.Locator("#cred-account").InputValueAsync());
        Assert.Equal("us", await page.Locator("#cred-region").InputValueAsync());
        Assert.True(await page.Locator("#cred-sandbox").IsCheckedAsync());
        Assert.Empty((await api.AppConnections.ListAsync(new AppConnectionQuery { ProjectId = project.Id, PieceName = gelato })).Data);
        // The piece's pattern, checked by the server; the refused secret is not written back.
        await page.Locator("#cred-api_key").FillAsync(secrets[3]);
        await SubmitAsync(page, "Add connection");
        Assert.Contains("does not match the pattern", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal("", await page.Locator("#cred-api_key").InputValueAsync());
        Assert.Empty((await api.AppConnections.ListAsync(new AppConnectionQuery { ProjectId = project.Id, PieceName = gelato })).Data);
        await page.Locator("#cred-api_key").FillAsync(secrets[2]);
        await SubmitAsync(page, "Add connection");
        await page.WaitForPageAsync("**/connections");
        var custom = Assert.IsType<CustomAuthValue>(await ReadAsync(api, project.Id, "gelato")).Props;
        Assert.Equal(secrets[2], custom["api_key"]?.GetValue<string>());
        Assert.Equal("acct-42", custom["account"]?.GetValue<string>());
        Assert.Equal("us", custom["region"]?.GetValue<string>());
        Assert.True(custom["sandbox"]?.GetValue<bool>());
        Assert.Equal(25d, custom["limit"]?.GetValue<double>());
        Assert.Equal(3, await page.Locator("tbody tr").CountAsync());

        // OAuth2: a Connect button and the app's client fields instead (OAuthConnectTests goes through the popup).
        await browser.GotoAsync($"{connections}/new?piece={Uri.EscapeDataString(crm)}");
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Add connection" }).CountAsync());
        Assert.Equal(1, await page.GetByRole(AriaRole.Button, new() { Name = "Connect" }).CountAsync());
        Assert.Equal("password", await page.GetByLabel("Client secret").GetAttributeAsync("type"));

        // Rename and metadata: a JSON object only.
        await browser.GotoAsync(connections);
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit Vault" }).ClickAsync();
        await page.WaitForPageAsync("**/edit");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Vault (prod)");
        await page.GetByLabel("Metadata").FillAsync("[1, 2]");
        await SubmitAsync(page, "Save");
        Assert.Contains("must be a JSON object", await page.GetByRole(AriaRole.Alert).TextContentAsync(), StringComparison.Ordinal);
        await page.GetByLabel("Metadata").FillAsync("{\"tenantId\": \"t-9\"}");
        await browser.ScreenshotAsync("edit");
        await SubmitAsync(page, "Save");
        await page.WaitForPageAsync("**/connections");
        Assert.Equal(1, await page.Locator("tbody tr td:nth-child(2)", new() { HasTextString = "Vault (prod)" }).CountAsync());
        await browser.ScreenshotAsync("list");
        var renamed = (await api.AppConnections.ListAsync(new AppConnectionQuery { ProjectId = project.Id, PieceName = vault })).Data.Single();
        Assert.Equal(("Vault (prod)", "t-9"), (renamed.DisplayName, renamed.Metadata?["tenantId"]?.GetValue<string>()));

        // Replace credentials: asked once, never pre-filled, the worker read then sees the new value; name and metadata stay.
        await page.GetByRole(AriaRole.Link, new() { Name = "Replace credentials of Vault (prod)" }).ClickAsync();
        await page.WaitForPageAsync("**/credentials");
        Assert.Equal("", await page.Locator("#cred-secret_text").InputValueAsync());
        await page.Locator("#cred-secret_text").FillAsync(secrets[4]);
        await browser.ScreenshotAsync("replace-credentials");
        await SubmitAsync(page, "Replace credentials");
        await page.WaitForPageAsync("**/connections");
        var replaced = await ReadConnectionAsync(api, project.Id, "vault");
        Assert.Equal(secrets[4], Assert.IsType<SecretTextValue>(replaced.Value).SecretText);
        Assert.Equal(("Vault (prod)", "t-9"), (replaced.DisplayName, replaced.Metadata?["tenantId"]?.GetValue<string>()));

        await browser.AssertEveryPageCleanAsync([ConsoleServer.AdminKey, .. secrets]);
    }

    internal static async Task SubmitAsync(IPage page, string button)
    {
        // A submit is a navigation either way: a redirect back to the list, or the same page with the API's refusal.
        await page.GetByRole(AriaRole.Button, new() { Name = button }).ClickAndLoadAsync();
    }

    private static Task RegisterAsync(PlugboardClient api, string name, string displayName, PieceAuthDefinition auth) =>
        api.Pieces.RegisterAsync(new PieceMetadata { Name = name, Version = "1.0.0", DisplayName = displayName, Auth = [auth] });

    private static async Task<WorkerConnection> ReadConnectionAsync(PlugboardClient api, string projectId, string externalId)
    {
        var token = await api.EngineTokens.IssueAsync(new IssueEngineTokenRequest { ProjectId = projectId, TtlSeconds = 60 });
        return await api.ForEngine(token.Token).ReadConnectionAsync(externalId);
    }

    private static async Task<ConnectionValue?> ReadAsync(PlugboardClient api, string projectId, string externalId) =>
        (await ReadConnectionAsync(api, projectId, externalId)).Value;
}
