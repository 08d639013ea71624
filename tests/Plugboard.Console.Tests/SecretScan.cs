using System.Net;
using Plugboard.Console.Tests.Infrastructure;

namespace Plugboard.Console.Tests;

/// Where a secret appears in the pages a browser received. The HTML is decoded first: Razor writes '+' and '/' of a
/// base64 value as character references, so a raw search would miss a PEM that is there.
internal static class SecretScan
{
    public static async Task<IReadOnlyList<string>> PagesHoldingAsync(ConsoleBrowser browser, string secret) =>
        [.. (await browser.DocumentsAsync()).Where(d => WebUtility.HtmlDecode(d.Body).Contains(secret, StringComparison.Ordinal)).Select(d => d.Url)];

    /// The secret is in exactly one page: the one-time answer at <paramref name="oneTimeUrlEnd"/>.
    public static async Task AssertOnlyInOneTimePageAsync(ConsoleBrowser browser, string secret, string oneTimeUrlEnd)
    {
        var holding = await PagesHoldingAsync(browser, secret);
        Assert.True(holding.Count == 1 && holding[0].EndsWith(oneTimeUrlEnd, StringComparison.Ordinal),
            $"The secret is in {holding.Count} pages: {string.Join(", ", holding)}");
    }
}
