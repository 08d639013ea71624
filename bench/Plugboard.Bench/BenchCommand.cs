using System.CommandLine;
using Plugboard.Bench.Engine;
using Plugboard.Bench.Refresh;

namespace Plugboard.Bench;

/// The command line: the list and upsert suite at the root, `engine` and `refresh` beside it, each with
/// `--help`. A usage error exits 2, a failed run 1, otherwise 0; Ctrl+C or SIGTERM cancels the run.
internal static class BenchCommand
{
    public static async Task<int> InvokeAsync(string[] args)
    {
        var root = new RootCommand("Plugboard benchmark. Without a suite name: the list and upsert suite.");
        BenchOptions.AddTo(root);
        root.SetAction((parse, ct) => RunAsync(BenchOptions.From(parse), o => o.ServerDll, ServerDll.Server, ListAndUpsertSuite.RunAsync, ct));

        var engine = new Command("engine", "The engine read against the floor and bare routes of the bench host, and the connection list, per engine: requests/s, latency, CPU per request (server, database), the issue's goals.");
        EngineBenchOptions.AddTo(engine);
        engine.SetAction((parse, ct) => RunAsync(EngineBenchOptions.From(parse), o => o.ServerDll, EngineServer.HostProject, EngineBench.RunAsync, ct));
        root.Add(engine);

        var refresh = new Command("refresh", "OAuth2 connections falling due in one window, refreshed by N server processes on one PostgreSQL.");
        RefreshBenchOptions.AddTo(refresh);
        refresh.SetAction((parse, ct) => RunAsync(RefreshBenchOptions.From(parse), o => o.ServerDll, ServerDll.Server, RefreshBench.RunAsync, ct));
        root.Add(refresh);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync($"Plugboard.Bench: {error.Message}");
            }
            await Console.Error.WriteLineAsync("Plugboard.Bench: --help lists the options.");
            return 2;
        }
        return await parsed.InvokeAsync();
    }

    private static async Task<int> RunAsync<TOptions>(
        TOptions options, Func<TOptions, string?> serverDllOption, string project, Func<TOptions, string, CancellationToken, Task<bool>> run, CancellationToken ct)
    {
        string serverDll;
        try
        {
            serverDll = BenchLaunch.LocateDll(serverDllOption(options), project);
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"Plugboard.Bench: {e.Message}");
            return 2;
        }
        return await run(options, serverDll, ct) ? 0 : 1;
    }
}
