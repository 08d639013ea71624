using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace Plugboard.Console.Tests.Infrastructure;

/// Waits for a new page without Playwright's load-state events: on a loaded CI machine those were twice missed for a
/// document that had arrived (a 30 s and a 60 s timeout with only "NetworkIdle event fired" logged). Instead the old
/// document is marked before the click, and the wait is for a document without the mark whose own
/// `document.readyState` says it is parsed — both read from the page itself.
public static class Navigation
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly ConditionalWeakTable<IPage, Func<string>> ServerTails = new();

    /// Lets a failed wait on this page quote the server's last warnings and errors.
    public static void TellServer(this IPage page, Func<string> serverTail) => ServerTails.AddOrUpdate(page, serverTail);

    /// Clicks a link or submit button and returns once the page it leads to has been parsed.
    public static async Task ClickAndLoadAsync(this ILocator locator)
    {
        var page = locator.Page;
        await page.EvaluateAsync("() => { window.plugboardOldPage = true; }");
        await locator.ClickAsync();
        await UntilAsync(page, "() => window.plugboardOldPage !== true && document.readyState !== 'loading'", "The click loaded no new page.");
    }

    /// Waits until the page's URL matches and that document is parsed.
    public static async Task WaitForPageAsync(this IPage page, string urlGlob)
    {
        try
        {
            await page.WaitForURLAsync(urlGlob, new() { WaitUntil = WaitUntilState.Commit, Timeout = (float)Patience.TotalMilliseconds });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"No page at {urlGlob} within {Patience.TotalSeconds} s.\n{await DescribeAsync(page)}");
        }
        await UntilAsync(page, "() => document.readyState !== 'loading'", $"{page.Url} was never parsed.");
    }

    /// Opens a URL and returns once its document is parsed.
    public static async Task<IResponse?> OpenAsync(this IPage page, string url)
    {
        var response = await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.Commit, Timeout = (float)Patience.TotalMilliseconds });
        await UntilAsync(page, "() => document.readyState !== 'loading'", $"{url} was never parsed.");
        return response;
    }

    private static async Task UntilAsync(IPage page, string condition, string failure)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await TrueAsync(page, condition))
        {
            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"{failure}\n{await DescribeAsync(page)}");
            }
            await Task.Delay(50);
        }
    }

    /// Where the page is and what it says: its URL, title and alerts, then the server's last warnings.
    private static async Task<string> DescribeAsync(IPage page)
    {
        string shown;
        try
        {
            var alerts = await page.Locator("[role=alert]").AllTextContentsAsync();
            shown = $"title \"{await page.TitleAsync()}\", alerts [{string.Join(" | ", alerts.Select(a => a.Trim()))}]";
        }
        catch (PlaywrightException e)
        {
            shown = $"unreadable ({e.Message.Split('\n')[0]})";
        }
        var server = ServerTails.TryGetValue(page, out var tail) ? tail() : "(no server known)";
        return $"The page is at {page.Url}: {shown}\n{server}";
    }

    private static async Task<bool> TrueAsync(IPage page, string condition)
    {
        try
        {
            return await page.EvaluateAsync<bool>(condition);
        }
        catch (PlaywrightException)
        {
            return false; // a navigation tore the context down: ask the new document next time
        }
    }
}
