namespace Plugboard.Bench.Refresh;

/// `Plugboard.Bench refresh ...`: issue 3's benchmark. Many OAuth2 connections fall due in one window;
/// several server processes on one PostgreSQL database refresh them against a fake provider that counts
/// every call, once with a reliable provider and once with one that fails a share of calls transiently.
internal static class RefreshBench
{
    public static async Task<int> MainAsync(IReadOnlyList<string> args)
    {
        RefreshBenchOptions options;
        string serverDll;
        try
        {
            options = RefreshBenchOptions.Parse(args);
            serverDll = ServerProcess.LocateDll(options.ServerDll);
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"Plugboard.Bench: {e.Message}");
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        var loadAtStart = Report.LoadAverage();
        var runs = new List<RefreshRun>();
        foreach (var rate in options.FailureRates)
        {
            runs.Add(await RefreshRun.RunAsync(options, rate, serverDll, cancel.Token));
        }
        Console.WriteLine(RefreshReport.Render(options, runs, loadAtStart));
        return runs.Any(r => r.Error is not null) ? 1 : 0;
    }
}
