using Microsoft.Playwright;

namespace Plugboard.Console.Tests.Infrastructure;

public static class Navigation
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// Clicks a link or submit button and returns once the page it leads to has been parsed. The current document is
    /// marked first and the wait is for a document without the mark, so it can never return on the old page (as a
    /// bare WaitForLoadState can, before the navigation commits); DOMContentLoaded, not load, so a slow subresource
    /// on a loaded machine does not stall it.
    public static async Task ClickAndLoadAsync(this ILocator locator)
    {
        var page = locator.Page;
        await page.EvaluateAsync("() => { window.plugboardOldPage = true; }");
        await locator.ClickAsync();
        var deadline = DateTime.UtcNow + Patience;
        while (await IsOldPageAsync(page))
        {
            Assert.True(DateTime.UtcNow < deadline, "The click loaded no new page.");
            await Task.Delay(50);
        }
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded, new() { Timeout = (float)Patience.TotalMilliseconds });
    }

    private static async Task<bool> IsOldPageAsync(IPage page)
    {
        try
        {
            return await page.EvaluateAsync<bool>("() => window.plugboardOldPage === true");
        }
        catch (PlaywrightException)
        {
            return true; // the navigation tore the context down: ask the new document next time
        }
    }
}
