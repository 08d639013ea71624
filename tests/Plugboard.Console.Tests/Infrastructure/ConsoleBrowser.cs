using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Plugboard.Console.Tests.Infrastructure;

/// One browser context on the console: every HTML page it receives is kept (URL, headers, body) so a test can scan all
/// of them at the end, and every console message (Chromium reports CSP violations there).
public sealed class ConsoleBrowser : IAsyncDisposable
{
    public const string ExpectedCsp =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; connect-src 'self'";

    private readonly IBrowserContext _context;
    private readonly string _test;
    private readonly ConcurrentQueue<Task<Document?>> _documents = new();
    private readonly ConcurrentQueue<string> _messages = new();

    private ConsoleBrowser(IBrowserContext context, IPage page, string test)
    {
        _context = context;
        Page = page;
        _test = test;
        page.Response += (_, response) => _documents.Enqueue(RecordAsync(response));
        page.Console += (_, message) => _messages.Enqueue($"{message.Type}: {message.Text}");
        page.PageError += (_, error) => _messages.Enqueue($"pageerror: {error}");
    }

    public IPage Page { get; }

    public static async Task<ConsoleBrowser> OpenAsync(IBrowserContext context, string test) =>
        new(context, await context.NewPageAsync(), test);

    public sealed record Document(string Url, int Status, IReadOnlyDictionary<string, string> Headers, string Body);

    public async Task<IResponse?> GotoAsync(string path) => await Page.OpenAsync(path);

    public async Task SignInAsync(string key)
    {
        await GotoAsync("/console/sign-in");
        await Page.GetByLabel("API key").FillAsync(key);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAndLoadAsync();
    }

    public async Task<IReadOnlyList<BrowserContextCookiesResult>> CookiesAsync() => await _context.CookiesAsync();

    /// The HTML pages received so far (redirects have no body and are left out).
    public async Task<IReadOnlyList<Document>> DocumentsAsync() =>
        [.. (await Task.WhenAll(_documents)).OfType<Document>()];

    public IReadOnlyList<string> Messages => [.. _messages];

    /// Every page seen carried the console's headers, held none of <paramref name="secrets"/>, and the browser
    /// reported no CSP violation or script error.
    public async Task AssertEveryPageCleanAsync(params string[] secrets)
    {
        var documents = await DocumentsAsync();
        Assert.NotEmpty(documents);
        foreach (var document in documents)
        {
            Assert.True(document.Headers.TryGetValue("content-security-policy", out var csp) && csp == ExpectedCsp, $"{document.Url}: CSP {csp}");
            Assert.Equal("nosniff", document.Headers.GetValueOrDefault("x-content-type-options"));
            Assert.Equal("no-referrer", document.Headers.GetValueOrDefault("referrer-policy"));
            Assert.Contains("no-store", document.Headers.GetValueOrDefault("cache-control") ?? "", StringComparison.Ordinal);
            foreach (var secret in secrets)
            {
                Assert.False(document.Body.Contains(secret, StringComparison.Ordinal), $"{document.Url} contains a secret ({secret[..Math.Min(6, secret.Length)]}…).");
            }
        }
        Assert.DoesNotContain(Messages, m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || m.StartsWith("pageerror", StringComparison.Ordinal));
    }

    /// A full-page PNG in the test output's screenshots folder, named after the test; returns its path.
    public async Task<string> ScreenshotAsync(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{_test}-{name}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    private static async Task<Document?> RecordAsync(IResponse response)
    {
        if (response.Request.ResourceType != "document" || response.Status != 200)
        {
            return null;
        }
        try
        {
            return new Document(response.Url, response.Status, await response.AllHeadersAsync(), await response.TextAsync());
        }
        catch (PlaywrightException)
        {
            // The page navigated on before its body was read (a POST answered with a redirect is not recorded here).
            return null;
        }
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
