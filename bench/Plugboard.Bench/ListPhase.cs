namespace Plugboard.Bench;

/// The list timed through a freshly started server process, and the engine's plans for its query.
internal sealed record ListPhase(ListResult Result, string? Plans)
{
    public static async Task<ListPhase> RunAsync(BenchHost host, BenchOptions options, string serverDll, CancellationToken ct)
    {
        ListResult result;
        await using (var server = await BenchLaunch.StartAsync("list", serverDll, host.Settings, ct))
        {
            result = await ListBench.RunAsync(host, server, options, ct);
        }
        var plans = options.ShowPlans ? await QueryPlans.ExplainAsync(host, options.PageSize, options.EffectiveDeepPage, ct) : null;
        return new ListPhase(result, plans);
    }
}
