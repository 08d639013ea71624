using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Playwright;
using Plugboard.Client;
using Plugboard.Console.Tests.Infrastructure;
using Plugboard.Testing.FakeOAuth;
using Plugboard.Testing.Servers;

namespace Plugboard.Console.Tests;

/// The embeddable Connect flow end to end (issue 16, seed 000): samples/EmbedHost runs as a real process on its own
/// loopback port, its page loads /embed/plugboard-embed.js from the server, and its "Connect Gelato" button opens the
/// Connect screen in a popup; the token goes over postMessage, never in a URL.
public sealed class EmbedConnectTests(ConsoleFixture fixture)
{
    private const string GelatoPiece = "@activepieces/piece-gelato";
    private const string Refused = "Your role in this project does not allow connecting apps";

    /// The run's signing key, the platform's allowed origins set to <paramref name="allowed"/> (or the host's own), and
    /// the host started for one user with <paramref name="role"/>.
    private async Task<Setup> SetUpAsync(string role, string? allowed = null)
    {
        var server = await fixture.SqliteAsync();
        var api = server.Api;
        await RegisterGelatoAsync(api);
        var rsa = RSA.Create(2048);
        var key = await api.SigningKeys.CreateAsync(new CreateSigningKeyRequest { DisplayName = "embed sample " + Guid.NewGuid().ToString("N")[..6], PublicKey = rsa.ExportSubjectPublicKeyInfoPem() });
        var tag = Guid.NewGuid().ToString("N")[..10];
        var org = $"org_{tag}";
        var host = await EmbedHostProcess.StartAsync(server, key.Id, rsa, org, $"user_{tag}", role, $"gelato_{org}");
        // The page is opened as localhost while the server is 127.0.0.1: another site, as a SaaS's page is, so the popup's
        // SameSite=Strict cookies and the cross-origin postMessage checks run as they do in production.
        var origin = $"http://localhost:{host.BaseAddress.Port}";
        await api.Platforms.UpdateAsync(key.PlatformId, new UpdatePlatformRequest { AllowedOrigins = [allowed ?? origin] });
        return new Setup(server, host, origin, org, rsa);
    }

    private sealed record Setup(ConsoleServer Server, ServerProcess Host, string Origin, string Org, RSA Key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            Key.Dispose();
        }
    }

    /// Everything the browser asked for (URLs) and every HTML document it received, in any of its windows.
    private sealed class Traffic
    {
        public ConcurrentQueue<string> Urls { get; } = new();
        public ConcurrentQueue<Task<(string Url, IReadOnlyDictionary<string, string> Headers, string Body)?>> Documents { get; } = new();
        public ConcurrentQueue<string> Tokens { get; } = new();

        public static Traffic Watch(IBrowserContext context)
        {
            var traffic = new Traffic();
            context.Request += (_, request) => traffic.Urls.Enqueue(request.Url);
            context.Response += (_, response) => traffic.Documents.Enqueue(RecordAsync(response, traffic));
            return traffic;
        }

        private static async Task<(string, IReadOnlyDictionary<string, string>, string)?> RecordAsync(IResponse response, Traffic traffic)
        {
            try
            {
                if (response.Url.EndsWith("/token", StringComparison.Ordinal))
                {
                    traffic.Tokens.Enqueue(JsonDocument.Parse(await response.TextAsync()).RootElement.GetProperty("token").GetString()!);
                    return null;
                }
                return response.Request.ResourceType == "document" && response.Status == 200
                    ? (response.Url, await response.AllHeadersAsync(), await response.TextAsync())
                    : null;
            }
            catch (PlaywrightException)
            {
                return null; // the window navigated on or closed before the body was read
            }
        }

        public async Task<List<(string Url, IReadOnlyDictionary<string, string> Headers, string Body)>> DocumentsAsync() =>
            [.. (await Task.WhenAll(Documents)).OfType<(string, IReadOnlyDictionary<string, string>, string)>()];

        /// No JWT (the host's token or the session token) in any URL the browser visited or fetched.
        public void AssertNoTokenInAnyUrl()
        {
            Assert.NotEmpty(Urls);
            foreach (var url in Urls)
            {
                Assert.DoesNotContain("eyJ", url, StringComparison.Ordinal);
                Assert.DoesNotContain(Tokens, token => url.Contains(token, StringComparison.Ordinal));
            }
        }
    }

    private static async Task<IPage> ClickConnectAsync(IPage host)
    {
        var popup = await host.RunAndWaitForPopupAsync(() => host.GetByRole(AriaRole.Button, new() { Name = "Connect Gelato" }).ClickAsync());
        return popup;
    }

    private static async Task ClosedAsync(IPage popup)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!popup.IsClosed)
        {
            Assert.True(DateTime.UtcNow < deadline, "The Connect popup did not close itself.");
            await Task.Delay(50);
        }
    }

    private static async Task<string> ResultAsync(IPage host, string contains)
    {
        await Assertions.Expect(host.Locator("#result")).ToContainTextAsync(contains, new() { Timeout = 30_000 });
        return (await host.Locator("#result").TextContentAsync())!;
    }

    private static async Task<IReadOnlyList<AppConnection>> ConnectionsOfAsync(PlugboardClient api, string externalProjectId)
    {
        var project = (await api.Projects.ListAsync(new ProjectQuery { ExternalId = externalProjectId })).Data.SingleOrDefault();
        return project is null ? [] : await api.AppConnections.ListAllAsync(new AppConnectionQuery { ProjectId = project.Id, Scope = ConnectionScope.Project }).ToListAsync();
    }

    [Fact]
    public async Task ConnectGelato_Editor_CreatesTheConnectionAndReportsItBack()
    {
        await using var setup = await SetUpAsync("EDITOR");
        await using var browser = await fixture.BrowserAsync(setup.Server, nameof(ConnectGelato_Editor_CreatesTheConnectionAndReportsItBack));
        var traffic = Traffic.Watch(browser.Page.Context);
        var host = browser.Page;
        var secret = $"gel_live_{Guid.NewGuid():N}";

        await host.OpenAsync(setup.Origin + "/");
        var popup = await ClickConnectAsync(host);
        await popup.WaitForPageAsync("**/embed/connect/form**");
        await Assertions.Expect(popup.GetByRole(AriaRole.Heading, new() { Name = "Connect Gelato" })).ToBeVisibleAsync();
        await popup.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", $"{nameof(ConnectGelato_Editor_CreatesTheConnectionAndReportsItBack)}-form.png"), FullPage = true });
        Assert.Equal(1, await popup.Locator("input[name='__RequestVerificationToken']").CountAsync());

        // A key the piece's pattern refuses: the API's words, the form again, and the typed value not written back.
        var refused = $"bad_{Guid.NewGuid():N}";
        await popup.Locator("#cred-api_key").FillAsync(refused);
        await popup.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAndLoadAsync();
        await Assertions.Expect(popup.GetByRole(AriaRole.Alert)).ToContainTextAsync("api_key");
        Assert.Equal("", await popup.Locator("#cred-api_key").InputValueAsync());
        Assert.Empty(await ConnectionsOfAsync(setup.Server.Api, setup.Org));

        await popup.Locator("#cred-api_key").FillAsync(secret);
        await popup.Locator("#cred-base_url").FillAsync("http://127.0.0.1:9");
        await popup.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();

        // The host page gets {connection: {id, name}} and the popup closes itself.
        var result = JsonDocument.Parse(await ResultAsync(host, "connection")).RootElement.GetProperty("connection");
        await ClosedAsync(popup);
        await browser.ScreenshotAsync("host-connected");
        var connection = Assert.Single(await ConnectionsOfAsync(setup.Server.Api, setup.Org));
        Assert.Equal(connection.Id, result.GetProperty("id").GetString());
        Assert.Equal($"gelato_{setup.Org}", result.GetProperty("name").GetString());
        Assert.Equal((GelatoPiece, $"gelato_{setup.Org}", ConnectionType.CustomAuth), (connection.PieceName, connection.ExternalId, connection.Type));

        // Connecting again updates the same connection (a reconnect), with the new credentials.
        var second = $"gel_live_{Guid.NewGuid():N}";
        popup = await ClickConnectAsync(host);
        await popup.WaitForPageAsync("**/embed/connect/form**");
        await popup.Locator("#cred-api_key").FillAsync(second);
        await popup.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();
        await ClosedAsync(popup);
        var again = Assert.Single(await ConnectionsOfAsync(setup.Server.Api, setup.Org));
        Assert.Equal(connection.Id, again.Id);
        Assert.True(again.Updated > connection.Updated);

        traffic.AssertNoTokenInAnyUrl();
        Assert.NotEmpty(traffic.Tokens);
        var documents = await traffic.DocumentsAsync();
        var screens = documents.Where(d => d.Url.Contains("/embed/connect/form", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(screens);
        Assert.All(screens, d => Assert.Contains($"frame-ancestors {setup.Origin};", d.Headers["content-security-policy"], StringComparison.Ordinal));
        var handover = documents.First(d => new Uri(d.Url).AbsolutePath == "/embed/connect");
        Assert.Contains("frame-ancestors 'none';", handover.Headers["content-security-policy"], StringComparison.Ordinal);
        foreach (var document in documents)
        {
            Assert.DoesNotContain(secret, document.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(second, document.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(refused, document.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(traffic.Tokens, token => document.Body.Contains(token, StringComparison.Ordinal));
        }
        Assert.DoesNotContain(browser.Messages, m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ConnectGelato_Viewer_IsRefusedInWordsAndClosingResolvesEmpty()
    {
        await using var setup = await SetUpAsync("VIEWER");
        await using var browser = await fixture.BrowserAsync(setup.Server, nameof(ConnectGelato_Viewer_IsRefusedInWordsAndClosingResolvesEmpty));
        var traffic = Traffic.Watch(browser.Page.Context);
        var host = browser.Page;

        await host.OpenAsync(setup.Origin + "/");
        var popup = await ClickConnectAsync(host);
        await popup.WaitForPageAsync("**/embed/connect/form**");
        await Assertions.Expect(popup.Locator("#embed-refused")).ToContainTextAsync(Refused);
        Assert.Equal(0, await popup.Locator("form").CountAsync());
        await popup.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", $"{nameof(ConnectGelato_Viewer_IsRefusedInWordsAndClosingResolvesEmpty)}-refused.png") });

        await popup.CloseAsync();
        Assert.Equal("{}", await ResultAsync(host, "{}"));
        Assert.Empty(await ConnectionsOfAsync(setup.Server.Api, setup.Org));
        traffic.AssertNoTokenInAnyUrl();
    }

    [Fact]
    public async Task ConnectGelato_HostOriginNotAllowed_IsRefusedAndNothingIsCreated()
    {
        await using var setup = await SetUpAsync("ADMIN", allowed: "https://somewhere-else.example");
        await using var browser = await fixture.BrowserAsync(setup.Server, nameof(ConnectGelato_HostOriginNotAllowed_IsRefusedAndNothingIsCreated));
        var traffic = Traffic.Watch(browser.Page.Context);
        var host = browser.Page;

        await host.OpenAsync(setup.Origin + "/");
        var popup = await ClickConnectAsync(host);
        await Assertions.Expect(popup.Locator("#embed-refused")).ToContainTextAsync("allowedOrigins", new() { Timeout = 30_000 });
        Assert.Contains("/embed/connect?", popup.Url, StringComparison.Ordinal);
        await popup.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", $"{nameof(ConnectGelato_HostOriginNotAllowed_IsRefusedAndNothingIsCreated)}-refused.png") });

        // Nothing provisioned (the origin is checked before the project or user is made), nothing connected.
        Assert.Empty((await setup.Server.Api.Projects.ListAsync(new ProjectQuery { ExternalId = setup.Org })).Data);
        await popup.CloseAsync();
        Assert.Equal("{}", await ResultAsync(host, "{}"));
        traffic.AssertNoTokenInAnyUrl();
    }

    [Fact]
    public async Task ConnectScreen_OpenedWithoutAnOpener_SaysWhereToStart()
    {
        var server = await fixture.SqliteAsync();
        await using var browser = await fixture.BrowserAsync(server, nameof(ConnectScreen_OpenedWithoutAnOpener_SaysWhereToStart));

        var response = await browser.GotoAsync($"/embed/connect?pieceName={Uri.EscapeDataString(GelatoPiece)}");

        await Assertions.Expect(browser.Page.Locator("#embed-refused")).ToContainTextAsync("Connect button");
        Assert.Contains("frame-ancestors 'none'", (await response!.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);
        await browser.GotoAsync($"/embed/connect/form?pieceName={Uri.EscapeDataString(GelatoPiece)}");
        await Assertions.Expect(browser.Page.Locator("#embed-refused")).ToContainTextAsync("Connect button");
        Assert.Equal(0, await browser.Page.Locator("form").CountAsync());
    }

    /// Opens the Connect popup from the host page with other options than its button's (the SDK call the button makes).
    private static async Task<IPage> ConnectWithAsync(IPage host, object options)
    {
        // The SDK is a script from another origin: it may still be loading when the host's document is.
        await host.WaitForFunctionAsync("() => typeof Plugboard !== 'undefined' && typeof Plugboard.connect === 'function'");
        return await host.RunAndWaitForPopupAsync(() => host.EvaluateAsync(
            "o => { Plugboard.connect(o).then(r => { document.getElementById('result').textContent = JSON.stringify(r); }); }", options));
    }

    [Fact]
    public async Task ConnectScreen_DefinitionsAndOAuth2_ShowOnlyWhatTheyAllow()
    {
        await using var setup = await SetUpAsync("EDITOR");
        var api = setup.Server.Api;
        var tag = Guid.NewGuid().ToString("N")[..8];
        UpsertConnectionDefinitionRequest Definition(string key, bool embedded) => new()
        {
            StableKey = key, DisplayName = "Gelato EU", PieceName = GelatoPiece, Type = ConnectionType.CustomAuth,
            Credentials = DefinitionCredentials.Customer, SuppliedBy = CredentialSupplier.Customer, Embedded = embedded,
            GlobalValues = new System.Text.Json.Nodes.JsonObject { ["props"] = new System.Text.Json.Nodes.JsonObject { ["base_url"] = "http://127.0.0.1:9" } },
        };
        var offered = (await api.ConnectionDefinitions.UpsertAsync(Definition($"gelato-eu-{tag}", embedded: true))).StableKey;
        var hidden = (await api.ConnectionDefinitions.UpsertAsync(Definition($"gelato-hidden-{tag}", embedded: false))).StableKey;
        var oauthPiece = $"@e{tag}/piece-crm";
        await api.Pieces.RegisterAsync(new PieceMetadata
        {
            Name = oauthPiece, Version = "1.0.0", DisplayName = "CRM",
            Auth = [new PieceAuthDefinition { Type = "OAUTH2", DisplayName = "CRM", AuthUrl = "https://crm.example/authorize", TokenUrl = "https://crm.example/token" }],
        });
        await using var browser = await fixture.BrowserAsync(setup.Server, nameof(ConnectScreen_DefinitionsAndOAuth2_ShowOnlyWhatTheyAllow));
        var traffic = Traffic.Watch(browser.Page.Context);
        var host = browser.Page;
        await host.OpenAsync(setup.Origin + "/");
        var secret = $"gel_live_{Guid.NewGuid():N}";

        // An embedded definition: the customer is asked only for their part (the base URL is the organization's).
        var popup = await ConnectWithAsync(host, new { definition = offered });
        await popup.WaitForPageAsync("**/embed/connect/form**");
        await Assertions.Expect(popup.GetByRole(AriaRole.Heading, new() { Name = "Connect Gelato EU" })).ToBeVisibleAsync();
        Assert.Equal(0, await popup.Locator("#cred-base_url").CountAsync());
        await popup.Locator("#cred-api_key").FillAsync(secret);
        await popup.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();
        var result = JsonDocument.Parse(await ResultAsync(host, "connection")).RootElement.GetProperty("connection");
        await ClosedAsync(popup);
        var connection = Assert.Single(await ConnectionsOfAsync(api, setup.Org));
        Assert.Equal((connection.Id, offered, offered), (result.GetProperty("id").GetString(), result.GetProperty("name").GetString(), connection.Definition));

        // A definition not switched to embedded does not exist for the customer.
        popup = await ConnectWithAsync(host, new { definition = hidden });
        await Assertions.Expect(popup.Locator("#embed-refused")).ToContainTextAsync("not offered here", new() { Timeout = 30_000 });
        Assert.Equal(0, await popup.Locator("form").CountAsync());
        await popup.CloseAsync();
        Assert.Equal("{}", await ResultAsync(host, "{}"));

        // OAuth2 without the platform's OAuth2 app: a customer never holds a client secret, so Connect says who sets it up.
        popup = await ConnectWithAsync(host, new { pieceName = oauthPiece });
        await popup.WaitForPageAsync("**/embed/connect/form**");
        await popup.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAndLoadAsync();
        await Assertions.Expect(popup.GetByRole(AriaRole.Alert)).ToContainTextAsync("administrator has not set up its OAuth2 app", new() { Timeout = 30_000 });
        await popup.CloseAsync();

        Assert.Single(await ConnectionsOfAsync(api, setup.Org));
        traffic.AssertNoTokenInAnyUrl();
        Assert.All(await traffic.DocumentsAsync(), d => Assert.DoesNotContain(secret, d.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConnectOAuth2_Editor_SignsInAtTheProviderInThePopupAndReportsBack()
    {
        await using var setup = await SetUpAsync("EDITOR");
        var api = setup.Server.Api;
        await using var provider = await FakeOAuthProvider.StartAsync();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (clientId, clientSecret) = ($"crm-{tag}", $"crm-app-secret-{tag}");
        provider.AddClient(clientId, clientSecret);
        var oauthPiece = $"@e{tag}/piece-crm";
        await api.Pieces.RegisterAsync(new PieceMetadata
        {
            Name = oauthPiece, Version = "1.0.0", DisplayName = "CRM",
            Auth = [new PieceAuthDefinition { Type = "OAUTH2", DisplayName = "CRM", AuthUrl = provider.AuthorizeUrl, TokenUrl = provider.TokenUrl, Pkce = true }],
        });
        await api.OAuthApps.UpsertAsync(new UpsertOAuthAppRequest { PieceName = oauthPiece, ClientId = clientId, ClientSecret = clientSecret });
        await using var browser = await fixture.BrowserAsync(setup.Server, nameof(ConnectOAuth2_Editor_SignsInAtTheProviderInThePopupAndReportsBack));
        var traffic = Traffic.Watch(browser.Page.Context);
        var host = browser.Page;
        await host.OpenAsync(setup.Origin + "/");

        var popup = await ConnectWithAsync(host, new { pieceName = oauthPiece, connectionName = $"crm_{setup.Org}" });
        await popup.WaitForPageAsync("**/embed/connect/form**");
        Assert.Equal(0, await popup.Locator("input[type=password]").CountAsync());
        await popup.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();

        // The provider's page in the popup (consent implied by the fake), back to /oauth/callback, then the host hears.
        var result = JsonDocument.Parse(await ResultAsync(host, "connection")).RootElement.GetProperty("connection");
        await ClosedAsync(popup);
        Assert.Equal("S256", provider.LastAuthorizeQuery["code_challenge_method"]);
        Assert.Equal(clientId, provider.LastAuthorizeQuery["client_id"]);
        var connection = Assert.Single(await ConnectionsOfAsync(api, setup.Org));
        Assert.Equal((connection.Id, $"crm_{setup.Org}"), (result.GetProperty("id").GetString(), result.GetProperty("name").GetString()));
        Assert.Equal((ConnectionType.PlatformOAuth2, ConnectionStatus.Active), (connection.Type, connection.Status));
        Assert.Equal(1, provider.CodeExchanges);

        traffic.AssertNoTokenInAnyUrl();
        Assert.All(await traffic.DocumentsAsync(), d => Assert.DoesNotContain(clientSecret, d.Body, StringComparison.Ordinal));
    }

    /// The seed's Gelato piece as samples/Gelato registers it (its CUSTOM_AUTH: a secret API key and a base URL).
    private static Task RegisterGelatoAsync(PlugboardClient api) =>
        api.Pieces.RegisterAsync(new PieceMetadata
        {
            Name = GelatoPiece,
            Version = "0.1.0",
            DisplayName = "Gelato",
            Description = "Ice cream shops and their flavors.",
            Auth =
            [
                new PieceAuthDefinition
                {
                    Type = "CUSTOM_AUTH",
                    DisplayName = "Gelato API",
                    Description = "The customer's Gelato API key, provisioned by your backend.",
                    Props = new Dictionary<string, PieceProp>
                    {
                        ["api_key"] = new() { DisplayName = "API key", Type = "SECRET_TEXT", Required = true, Pattern = "^gel_" },
                        ["base_url"] = new() { DisplayName = "Base URL", Type = "SHORT_TEXT" },
                    },
                },
            ],
        });
}
