namespace Plugboard.Bench.Refresh;

/// `Plugboard.Bench refresh ...`: issue 3's benchmark. Many OAuth2 connections fall due in one window;
/// several server processes on one PostgreSQL database refresh them against a fake provider that counts
/// every call, once with a reliable provider and once with one that fails a share of calls transiently.
internal static class RefreshBench
{
    public static async Task<bool> RunAsync(RefreshBenchOptions options, string serverDll, CancellationToken ct)
    {
        var loadAtStart = Report.LoadAverage();
        var runs = new List<RefreshRun>();
        foreach (var rate in options.FailureRates)
        {
            runs.Add(await RefreshRun.RunAsync(options, rate, serverDll, ct));
        }
        Console.WriteLine(RefreshReport.Render(options, runs, loadAtStart));
        return runs.All(r => r.Error is null);
    }
}
