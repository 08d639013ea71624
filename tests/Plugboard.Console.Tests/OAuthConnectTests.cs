using System.Net;
using Microsoft.Playwright;
using Plugboard.Client;
using Plugboard.Console.Tests.Infrastructure;
using Plugboard.Testing.FakeOAuth;

namespace Plugboard.Console.Tests;

/// The OAuth2 Connect button end to end: the popup goes to the fake provider's consent page (a real HTTP server on
/// 127.0.0.1) with PKCE, comes back to /oauth/callback, the code is claimed, and the page that opened it updates in place.
public sealed class OAuthConnectTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task Connect_OwnApp_PopupClaimsTheCodeWithPkceAndTheOpenerUpdatesWithoutReload()
    {
        var server = await fixture.SqliteAsync();
        var api = server.Api;
        await using var provider = await FakeOAuthProvider.StartAsync();
        var form = await OwnAppFormAsync(server, provider, "CRM of Acme", nameof(Connect_OwnApp_PopupClaimsTheCodeWithPkceAndTheOpenerUpdatesWithoutReload));
        await using var browser = form.Browser;
        var (project, clientId, clientSecret) = (form.Project, form.ClientId, form.ClientSecret);
        var page = browser.Page;
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Add connection" }).CountAsync());
        await browser.ScreenshotAsync("oauth-connect-form");
        await page.EvaluateAsync("() => { window.plugboardTestMarker = 'same document'; }");

        var popup = await page.RunAndWaitForPopupAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync());
        var outcome = await OutcomeAsync(page, popup);

        // The opener shows the connections list in place: the same document, the new row, the URL of the list.
        Assert.Equal("Connected “crm”.", (await outcome.TextContentAsync())?.Trim());
        Assert.Equal("same document", await page.EvaluateAsync<string>("() => window.plugboardTestMarker"));
        Assert.EndsWith($"/console/projects/{project.Id}/connections", page.Url, StringComparison.Ordinal);
        Assert.Contains("ACTIVE", await page.Locator("tr", new() { HasText = "CRM of Acme" }).TextContentAsync(), StringComparison.Ordinal);
        await browser.ScreenshotAsync("oauth-connected");
        await WaitClosedAsync(popup);

        // The consent URL came from the server: S256 PKCE, a state, the callback on this server.
        var consent = provider.LastAuthorizeQuery;
        Assert.Equal("S256", consent["code_challenge_method"]);
        Assert.False(string.IsNullOrEmpty(consent["state"]));
        Assert.Equal(new Uri(server.BaseAddress, "/oauth/callback").ToString(), consent["redirect_uri"]);
        Assert.Equal(1, provider.CodeExchanges);

        // What a step reads: the provider's tokens, the app's client, nothing one-time kept.
        var connection = Assert.Single((await api.AppConnections.ListAsync(new AppConnectionQuery { ProjectId = project.Id, Scope = ConnectionScope.Project })).Data);
        Assert.Equal((ConnectionType.OAuth2, ConnectionStatus.Active, "crm"), (connection.Type, connection.Status, connection.ExternalId));
        var value = Assert.IsType<OAuth2Value>(await ReadAsync(api, project.Id, "crm"));
        Assert.False(string.IsNullOrEmpty(value.AccessToken));
        Assert.Equal(clientId, value.ClientId);
        Assert.NotEqual(clientSecret, value.ClientSecret); // stored, but a step is never handed the app's secret
        Assert.Null(value.Code);
        Assert.Null(value.CodeChallenge);

        // The pending-flow cookie is gone, and no page showed the secret or a token.
        Assert.DoesNotContain(await browser.CookiesAsync(), c => c.Name.StartsWith("plugboard_oauth_", StringComparison.Ordinal));
        await browser.AssertEveryPageCleanAsync(ConsoleServer.AdminKey, clientSecret, value.AccessToken!, value.RefreshToken ?? clientSecret);
    }

    [Fact]
    public async Task Connect_ProviderDenies_TheReasonIsShownInWordsAndNothingIsCreated()
    {
        var server = await fixture.SqliteAsync();
        var api = server.Api;
        await using var provider = await FakeOAuthProvider.StartAsync();
        var tag = Guid.NewGuid().ToString("N")[..10];
        provider.AddClient($"crm-{tag}", $"secret-{tag}");
        var piece = await RegisterCrmAsync(api, provider, tag);
        var project = await api.Projects.CreateAsync(new CreateProjectRequest { DisplayName = $"Deny {tag}", ExternalId = $"deny-{tag}" });
        provider.DenyNextConsent("access_denied", "The user pressed Deny.");

        await using var browser = await fixture.BrowserAsync(server, nameof(Connect_ProviderDenies_TheReasonIsShownInWordsAndNothingIsCreated));
        await browser.SignInAsync(ConsoleServer.AdminKey);
        var page = browser.Page;
        await browser.GotoAsync($"/console/projects/{project.Id}/connections/new?piece={Uri.EscapeDataString(piece)}");
        await page.GetByLabel("Client id").FillAsync($"crm-{tag}");
        await page.GetByLabel("Client secret").FillAsync($"secret-{tag}");
        var popup = await page.RunAndWaitForPopupAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync());

        var outcome = await OutcomeAsync(page, popup);
        Assert.Equal("alert", await outcome.GetAttributeAsync("role"));
        Assert.Contains("Access was declined on the provider's page", await outcome.TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("The user pressed Deny.", await popup.Locator("[role=alert]").TextContentAsync(), StringComparison.Ordinal);
        Assert.Empty((await api.AppConnections.ListAsync(new AppConnectionQuery { ProjectId = project.Id, Scope = ConnectionScope.Project })).Data);
        Assert.Equal(0, provider.CodeExchanges);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Callback_TheSameFlowEightTimesAtOnce_OneCodeExchangeOneConnectionAndNoServerError(string engine)
    {
        var server = await fixture.OnAsync(engine);
        var api = server.Api;
        await using var provider = await FakeOAuthProvider.StartAsync();
        var form = await OwnAppFormAsync(server, provider, "CRM burst", nameof(Callback_TheSameFlowEightTimesAtOnce_OneCodeExchangeOneConnectionAndNoServerError) + engine);
        await using var browser = form.Browser;
        var (project, clientSecret) = (form.Project, form.ClientSecret);
        var page = browser.Page;
        // The provider's redirect back is held (the consent request is sent by the test, its Location kept): the browser
        // never reaches the callback, a burst of copies of it does.
        var redirect = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.Context.RouteAsync(url => url.StartsWith(provider.AuthorizeUrl, StringComparison.Ordinal), async route =>
        {
            var consent = await route.FetchAsync(new() { MaxRedirects = 0 });
            redirect.TrySetResult(consent.Headers["location"]);
            await route.AbortAsync();
        });
        await page.RunAndWaitForPopupAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync());
        var callback = await redirect.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var cookies = string.Join("; ", (await page.Context.CookiesAsync([callback])).Select(c => $"{c.Name}={c.Value}"));

        using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false });
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, callback);
            request.Headers.Add("Cookie", cookies);
            using var response = await http.SendAsync(request);
            return (Status: (int)response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        // The state is redeemed once across the server: one answer exchanges the code, seven are refused before any call
        // to the provider (which may revoke every token of a code it sees twice).
        var connected = answers.Where(a => a.Body.Contains("data-oauth-result=\"connected\"", StringComparison.Ordinal)).ToList();
        Assert.True(connected.Count == 1 && connected[0].Status == 200, string.Join("\n---\n", answers.Select(a => $"{a.Status}: {a.Body}")));
        Assert.All(answers.Except(connected), a =>
        {
            Assert.Equal(400, a.Status);
            Assert.Contains("has been used already", a.Body, StringComparison.Ordinal);
        });
        Assert.Equal(1, provider.CodeExchanges);
        var connection = Assert.Single((await api.AppConnections.ListAsync(new AppConnectionQuery { ProjectId = project.Id, Scope = ConnectionScope.Project })).Data);
        Assert.Equal(ConnectionStatus.Active, connection.Status);
        Assert.All(answers, a => Assert.DoesNotContain(clientSecret, a.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Callback_WithoutTheFlowsCookie_IsRefusedAndClaimsNothing()
    {
        var server = await fixture.SqliteAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        // A forged or replayed redirect (no cookie of this browser's flow): refused in words, no call to any provider.
        foreach (var query in new[] { "?code=abc&state=forged", "?state=", "", "?code=" + new string('x', 1500) + "&state=" + new string('s', 1500), "?error=access_denied&state=x", "?state=" + new string('[', 5000) })
        {
            using var answer = await http.GetAsync("/oauth/callback" + query);
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            var body = await answer.Content.ReadAsStringAsync();
            Assert.Contains("This Connect window has expired", body, StringComparison.Ordinal);
            Assert.Contains("default-src 'none'", answer.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.DoesNotContain("data-oauth-result", body, StringComparison.Ordinal);
        }
        // NUL bytes and lone surrogates are refused before the callback by the server's input guard, in the API's body.
        foreach (var query in new[] { "?code=a%00b&state=s%00t", "?code=%ED%A0%80&state=%ED%A0%80" })
        {
            using var answer = await http.GetAsync("/oauth/callback" + query);
            var body = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.StatusCode == HttpStatusCode.BadRequest, $"{query}: {(int)answer.StatusCode} {body}");
            Assert.DoesNotContain("data-oauth-result", body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Reconnect_ErrorRowWithThePlatformsApp_TurnsActiveInPlace(string engine)
    {
        var server = await fixture.OnAsync(engine);
        var api = server.Api;
        await using var provider = await FakeOAuthProvider.StartAsync();
        var tag = Guid.NewGuid().ToString("N")[..10];
        var (clientId, clientSecret) = ($"crm-{tag}", $"platform-app-canary-{tag}");
        provider.AddClient(clientId, clientSecret);
        var piece = await RegisterCrmAsync(api, provider, tag);
        await api.OAuthApps.UpsertAsync(new UpsertOAuthAppRequest { PieceName = piece, ClientId = clientId, ClientSecret = clientSecret });
        var project = await api.Projects.CreateAsync(new CreateProjectRequest { DisplayName = $"Reconnect {tag}", ExternalId = $"reconnect-{tag}" });
        var tokens = provider.IssueTokens(clientId);
        var created = await api.AppConnections.UpsertAsync(new UpsertAppConnectionRequest
        {
            ProjectId = project.Id, ExternalId = "crm", DisplayName = "CRM", PieceName = piece,
            Value = new PlatformOAuth2Value { AccessToken = tokens.AccessToken, RefreshToken = tokens.RefreshToken, ExpiresIn = 3600, ClientId = clientId, TokenUrl = provider.TokenUrl },
        });
        provider.RevokeAll();
        Assert.Equal(ConnectionStatus.Error, (await api.AppConnections.RefreshAsync(created.Id, force: true)).Status);

        await using var browser = await fixture.BrowserAsync(server, nameof(Reconnect_ErrorRowWithThePlatformsApp_TurnsActiveInPlace) + engine);
        await browser.SignInAsync(ConsoleServer.AdminKey);
        var page = browser.Page;
        await browser.GotoAsync($"/console/projects/{project.Id}/connections");
        var row = page.Locator("tr.status-error", new() { HasText = "CRM" });
        Assert.Contains("ERROR", await row.TextContentAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "Reconnect CRM" }).ClickAsync();
        await page.WaitForPageAsync("**/credentials");
        Assert.True(await page.GetByLabel("The platform's app").IsCheckedAsync());
        await browser.ScreenshotAsync($"oauth-reconnect-{engine}");

        var popup = await page.RunAndWaitForPopupAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Reconnect" }).ClickAsync());
        var outcome = await OutcomeAsync(page, popup);
        Assert.Equal("Connected “crm”.", (await outcome.TextContentAsync())?.Trim());
        Assert.Equal(0, await page.Locator("tr.status-error").CountAsync());
        await WaitClosedAsync(popup);

        var after = await api.AppConnections.GetAsync(created.Id);
        Assert.Equal((ConnectionType.PlatformOAuth2, ConnectionStatus.Active), (after.Type, after.Status));
        var value = Assert.IsType<PlatformOAuth2Value>(await ReadAsync(api, project.Id, "crm"));
        Assert.NotEqual(tokens.AccessToken, value.AccessToken);
        await browser.AssertEveryPageCleanAsync(ConsoleServer.AdminKey, clientSecret, tokens.AccessToken, tokens.RefreshToken, value.AccessToken!);
    }

    /// A signed-in browser on a new project's add form for a CRM piece at <paramref name="provider"/>, the connection's
    /// name and the user's own client id and secret typed (the secret a canary for the page scans).
    private async Task<(ConsoleBrowser Browser, Project Project, string ClientId, string ClientSecret)> OwnAppFormAsync(
        ConsoleServer server, FakeOAuthProvider provider, string name, string test)
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        var (clientId, clientSecret) = ($"crm-{tag}", $"client-secret-canary-{tag}");
        provider.AddClient(clientId, clientSecret);
        var piece = await RegisterCrmAsync(server.Api, provider, tag);
        var project = await server.Api.Projects.CreateAsync(new CreateProjectRequest { DisplayName = $"OAuth {tag}", ExternalId = $"oauth-{tag}" });
        var browser = await fixture.BrowserAsync(server, test);
        await browser.SignInAsync(ConsoleServer.AdminKey);
        await browser.GotoAsync($"/console/projects/{project.Id}/connections/new?piece={Uri.EscapeDataString(piece)}");
        await browser.Page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await browser.Page.GetByLabel("Client id").FillAsync(clientId);
        await browser.Page.GetByLabel("Client secret").FillAsync(clientSecret);
        return (browser, project, clientId, clientSecret);
    }

    private static async Task<string> RegisterCrmAsync(PlugboardClient api, FakeOAuthProvider provider, string tag)
    {
        var name = $"@t{tag}/piece-crm";
        await api.Pieces.RegisterAsync(new PieceMetadata
        {
            Name = name, Version = "1.0.0", DisplayName = "CRM",
            Auth = [new PieceAuthDefinition { Type = "OAUTH2", DisplayName = "CRM account", AuthUrl = provider.AuthorizeUrl, TokenUrl = provider.TokenUrl, Scope = ["contacts.read"], Pkce = true }],
        });
        return name;
    }

    /// What the opener shows once the popup has reported (the popup's page in the failure message otherwise).
    private static async Task<ILocator> OutcomeAsync(IPage page, IPage popup)
    {
        var outcome = page.Locator(".connect-outcome");
        try
        {
            await outcome.WaitForAsync(new() { Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
            var popupState = popup.IsClosed ? "closed" : $"{popup.Url}\n{await popup.ContentAsync()}";
            Assert.Fail($"The opener showed no outcome. Popup: {popupState}\nOpener: {page.Url}");
        }
        return outcome;
    }

    private static async Task WaitClosedAsync(IPage popup)
    {
        for (var i = 0; i < 100 && !popup.IsClosed; i++)
        {
            await Task.Delay(100);
        }
        Assert.True(popup.IsClosed, "the callback popup closes itself once connected");
    }

    private static async Task<ConnectionValue?> ReadAsync(PlugboardClient api, string projectId, string externalId)
    {
        var token = await api.EngineTokens.IssueAsync(new IssueEngineTokenRequest { ProjectId = projectId, TtlSeconds = 60 });
        return (await api.ForEngine(token.Token).ReadConnectionAsync(externalId)).Value;
    }
}
