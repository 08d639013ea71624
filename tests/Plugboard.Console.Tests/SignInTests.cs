using System.Net;
using Microsoft.Playwright;
using Plugboard.Console.Tests.Infrastructure;

namespace Plugboard.Console.Tests;

public sealed class SignInTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task SignIn_WrongKey_SaysSoInWordsAndSetsNoSession()
    {
        var server = await fixture.SqliteAsync();
        await using var browser = await fixture.BrowserAsync(server, nameof(SignIn_WrongKey_SaysSoInWordsAndSetsNoSession));

        await browser.SignInAsync("sk-thisisnotakey0123456789");

        var alert = await browser.Page.GetByRole(AriaRole.Alert).TextContentAsync();
        Assert.StartsWith("That key was not accepted:", alert, StringComparison.Ordinal);
        Assert.DoesNotContain(await browser.CookiesAsync(), c => c.Name == "plugboard_console");
        await browser.ScreenshotAsync("wrong-key");
        await browser.AssertEveryPageCleanAsync("sk-thisisnotakey0123456789");
    }

    [Fact]
    public async Task SignIn_AdminKey_CookieIsHttpOnlyStrictRandomAndSignOutEndsIt()
    {
        var server = await fixture.SqliteAsync();
        await using var browser = await fixture.BrowserAsync(server, nameof(SignIn_AdminKey_CookieIsHttpOnlyStrictRandomAndSignOutEndsIt));

        await browser.SignInAsync(ConsoleServer.AdminKey);

        Assert.EndsWith("/console/projects", browser.Page.Url, StringComparison.Ordinal);
        var cookie = Assert.Single(await browser.CookiesAsync(), c => c.Name == "plugboard_console");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("/", cookie.Path);
        Assert.DoesNotContain(ConsoleServer.AdminKey, cookie.Value, StringComparison.Ordinal);
        Assert.True(cookie.Value.Length >= 40);
        Assert.Equal(0, await browser.Page.EvaluateAsync<int>("() => localStorage.length + sessionStorage.length"));
        Assert.DoesNotContain("plugboard_console", await browser.Page.EvaluateAsync<string>("() => document.cookie"), StringComparison.Ordinal);

        await browser.Page.GetByRole(AriaRole.Link, new() { Name = "Sign out" }).ClickAsync();
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await browser.Page.WaitForPageAsync("**/console/sign-in");
        Assert.DoesNotContain(await browser.CookiesAsync(), c => c.Name == "plugboard_console");

        // The old cookie is dead on the server too, not only forgotten by this browser.
        await browser.Page.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = "plugboard_console", Value = cookie.Value, Domain = cookie.Domain, Path = "/" }]);
        await browser.GotoAsync("/console/projects");
        Assert.EndsWith("/console/sign-in", browser.Page.Url, StringComparison.Ordinal);
        await browser.AssertEveryPageCleanAsync(ConsoleServer.AdminKey);
    }

    [Fact]
    public async Task Pages_WithoutSession_RedirectToSignIn()
    {
        var server = await fixture.SqliteAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };

        foreach (var path in new[] { "/console", "/console/projects", "/console/api-keys", "/console/projects/x/connections" })
        {
            using var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/console/sign-in", response.Headers.Location?.OriginalString);
        }
    }

    [Fact]
    public async Task FormPost_WithoutAntiforgeryToken_IsRefused()
    {
        var server = await fixture.SqliteAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };

        using var response = await http.PostAsync("/console/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["key"] = ConsoleServer.AdminKey,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("plugboard_console=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Assets_FromTheServersBinFolder_AreServed()
    {
        var server = await fixture.SqliteAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var css = await http.GetAsync("/console/assets/console.css");
        using var js = await http.GetAsync("/console/assets/console.js");

        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, js.StatusCode);
        Assert.Contains("data-copy-target", await js.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_EightAtOnce_EachGetsAWorkingSessionOfItsOwn()
    {
        var server = await fixture.SqliteAsync();
        var ct = TestContext.Current.CancellationToken;
        var clients = Enumerable.Range(0, 8).Select(_ => new CookieContainer()).Select(cookies => (Cookies: cookies, Http: new HttpClient(
            new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress })).ToList();
        try
        {
            var tokens = await Task.WhenAll(clients.Select(c => TokenAsync(c.Http, "/console/sign-in")));

            // All eight posts leave together.
            using var start = new SemaphoreSlim(0);
            var posts = clients.Select(async (c, i) =>
            {
                await start.WaitAsync(ct);
                using var response = await c.Http.PostAsync("/console/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["_handler"] = "sign-in", ["__RequestVerificationToken"] = tokens[i], ["key"] = ConsoleServer.AdminKey,
                }), ct);
                return response.StatusCode;
            }).ToList();
            start.Release(clients.Count);
            Assert.All(await Task.WhenAll(posts), status => Assert.Equal(HttpStatusCode.Redirect, status));

            var sessions = clients.Select(c => Assert.Single(c.Cookies.GetCookies(server.BaseAddress), k => k.Name == "plugboard_console").Value).ToList();
            Assert.Equal(clients.Count, sessions.Distinct(StringComparer.Ordinal).Count());
            foreach (var (_, http) in clients)
            {
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/console/api-keys", ct)).StatusCode);
            }

            // Signing one out ends that session only.
            var (_, first) = clients[0];
            using (var signOut = await first.PostAsync("/console/sign-out", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "sign-out", ["__RequestVerificationToken"] = await TokenAsync(first, "/console/sign-out"),
            }), ct))
            {
                Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
            }
            using (var after = await first.GetAsync("/console/api-keys", ct))
            {
                Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
            }
            await Task.WhenAll(clients.Skip(1).Select(async c => Assert.Equal(HttpStatusCode.OK, (await c.Http.GetAsync("/console/api-keys", ct)).StatusCode)));
        }
        finally
        {
            clients.ForEach(c => c.Http.Dispose());
        }
    }

    private static async Task<string> TokenAsync(HttpClient http, string page)
    {
        var html = await http.GetStringAsync(page, TestContext.Current.CancellationToken);
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"");
        Assert.True(token.Success, $"{page} has no antiforgery token");
        return WebUtility.HtmlDecode(token.Groups[1].Value);
    }
}
