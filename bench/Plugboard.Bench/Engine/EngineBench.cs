namespace Plugboard.Bench.Engine;

/// `Plugboard.Bench engine ...`: issue 4's benchmark. The engine read of a non-expiring connection,
/// against a floor route doing the same token check and row read without decryption, refresh check and
/// audit, on each engine: requests/s, latency, server RSS, and the audit trail it leaves.
internal static class EngineBench
{
    public static async Task<bool> RunAsync(EngineBenchOptions options, string serverDll, CancellationToken ct)
    {
        var loadAtStart = Report.LoadAverage();
        var runs = new List<EngineReadRun>();
        foreach (var engine in options.Engines)
        {
            runs.Add(await EngineReadRun.RunAsync(engine, options, serverDll, ct));
        }
        Console.WriteLine(EngineReport.Render(options, runs, loadAtStart));
        return runs.All(r => r.Error is null);
    }
}
