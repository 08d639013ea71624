using Plugboard.Bench;
using Plugboard.Bench.Engine;
using Plugboard.Bench.Refresh;

if (args is ["refresh", .. var refreshArgs])
{
    return await RefreshBench.MainAsync(refreshArgs);
}
if (args is ["engine", .. var engineArgs])
{
    return await EngineBench.MainAsync(engineArgs);
}

return await BenchCommand.RunAsync(() => BenchOptions.Parse(args), o => o.ServerDll, async (options, serverDll, ct) =>
{
    var loadAtStart = Report.LoadAverage();
    var runs = new List<EngineRun>();
    foreach (var engine in options.Engines)
    {
        runs.Add(await EngineRun.RunAsync(engine, options, serverDll, ct));
    }
    Console.WriteLine(Report.Render(options, runs, loadAtStart));
    return runs.All(r => r.Error is null);
});
