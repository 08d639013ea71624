namespace Plugboard.Bench;

/// What every suite's entry point shares: parse its options, find the server build, cancel on Ctrl+C,
/// and exit 2 on a usage error, 1 when a run failed, 0 otherwise.
internal static class BenchCommand
{
    public static async Task<int> RunAsync<TOptions>(
        Func<TOptions> parse, Func<TOptions, string?> serverDllOption, Func<TOptions, string, CancellationToken, Task<bool>> run)
    {
        TOptions options;
        string serverDll;
        try
        {
            options = parse();
            serverDll = ServerProcess.LocateDll(serverDllOption(options));
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
        return await run(options, serverDll, cancel.Token) ? 0 : 1;
    }
}
