using Microsoft.Playwright;

namespace Plugboard.Console.Tests.Infrastructure;

/// One server per engine and one Chromium for the whole run, started on first use. The browser is Debian's
/// (/usr/bin/chromium): Playwright never downloads one here.
public sealed class ConsoleFixture : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";

    private readonly Lazy<Task<ConsoleServer>> _sqlite = new(() => ConsoleServer.StartAsync(postgres: false));
    private readonly Lazy<Task<ConsoleServer>> _postgres = new(() => ConsoleServer.StartAsync(postgres: true));
    private readonly Lazy<Task<(IPlaywright Playwright, IBrowser Browser)>> _browser = new(LaunchAsync);

    public Task<ConsoleServer> SqliteAsync() => _sqlite.Value;

    public Task<ConsoleServer> PostgresAsync()
    {
        Assert.SkipUnless(ConsoleServer.PostgresAvailable,
            $"{ConsoleServer.PostgresVariable} is not set: ./scripts/test starts a throwaway PostgreSQL and sets it.");
        return _postgres.Value;
    }

    public Task<ConsoleServer> OnAsync(string engine) => engine == "postgres" ? PostgresAsync() : SqliteAsync();

    /// A fresh browser context (its own cookies) on <paramref name="server"/>.
    public async Task<ConsoleBrowser> BrowserAsync(ConsoleServer server, string test)
    {
        var (_, browser) = await _browser.Value;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseAddress.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        var opened = await ConsoleBrowser.OpenAsync(context, test);
        opened.Page.TellServer(() => string.Join('\n', server.Process.Tail(20)));
        return opened;
    }

    private static async Task<(IPlaywright, IBrowser)> LaunchAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium (.ci/run does it in CI).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return (playwright, browser);
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser.IsValueCreated && _browser.Value.IsCompletedSuccessfully)
        {
            var (playwright, browser) = await _browser.Value;
            await browser.DisposeAsync();
            playwright.Dispose();
        }
        foreach (var server in new[] { _sqlite, _postgres }.Where(s => s.IsValueCreated && s.Value.IsCompletedSuccessfully))
        {
            await (await server.Value).DisposeAsync();
        }
    }
}
