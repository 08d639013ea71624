using Plugboard.Bench;
using Plugboard.Bench.Refresh;

if (args is ["refresh", .. var refreshArgs])
{
    return await RefreshBench.MainAsync(refreshArgs);
}

BenchOptions options;
string serverDll;
try
{
    options = BenchOptions.Parse(args);
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
var runs = new List<EngineRun>();
foreach (var engine in options.Engines)
{
    runs.Add(await EngineRun.RunAsync(engine, options, serverDll, cancel.Token));
}
Console.WriteLine(Report.Render(options, runs, loadAtStart));
return runs.Any(r => r.Error is not null) ? 1 : 0;
