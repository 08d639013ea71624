namespace Plugboard.Bench;

/// The root suite: list pages and upserts through the server's own services, per engine.
internal static class ListAndUpsertSuite
{
    public static async Task<bool> RunAsync(BenchOptions options, string serverDll, CancellationToken ct)
    {
        var loadAtStart = Report.LoadAverage();
        var runs = new List<EngineRun>();
        foreach (var engine in options.Engines)
        {
            runs.Add(await EngineRun.RunAsync(engine, options, serverDll, ct));
        }
        Console.WriteLine(Report.Render(options, runs, loadAtStart));
        return runs.All(r => r.Error is null);
    }
}
