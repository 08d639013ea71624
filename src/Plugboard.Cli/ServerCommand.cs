using System.CommandLine;
using System.Diagnostics;

namespace Plugboard.Cli;

/// `plugboard server rewrap|migrate|check`: the server's own maintenance verbs, run against its database by the
/// server binary itself (same settings, same code), so the CLI carries no second copy of the schema or the crypto.
internal static class ServerCommand
{
    public static void Add(RootCommand root, CliHost host)
    {
        var server = new Command("server", "Maintenance against the server's database (run where the server's settings are).");
        foreach (var (verb, description) in new[]
        {
            ("rewrap", "Move every stored secret onto the newest key, then retire old keys no row uses."),
            ("migrate", "Bring the schema to the latest migration."),
            ("check", "Change nothing; exit 0 only if the schema is at the latest migration and every connection value opens with the key ring."),
        })
        {
            var path = new Option<string>("--server") { Description = "Plugboard.Server.dll or the server executable (default: $PLUGBOARD_SERVER)" };
            var database = new Option<string>("--database") { Description = "sets PLUGBOARD_DATABASE for the run (default: the environment's)" };
            var dataDir = new Option<string>("--data-dir") { Description = "sets PLUGBOARD_DATA_DIR for the run (default: the environment's)" };
            var command = new Command(verb, description) { path, database, dataDir };
            CliApp.Action(command, host, (s, ct) => RunAsync(s, verb, s.Get(path), s.Get(database), s.Get(dataDir), ct));
            server.Add(command);
        }
        root.Add(server);
    }

    private static async Task<int> RunAsync(CliSession s, string verb, string? path, string? database, string? dataDir, CancellationToken ct)
    {
        path ??= s.Host.Environment("PLUGBOARD_SERVER");
        if (path is null || !File.Exists(path))
        {
            throw new UsageException("give the server with --server <Plugboard.Server.dll or executable> or PLUGBOARD_SERVER.");
        }
        var start = path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new ProcessStartInfo("dotnet", [path, verb])
            : new ProcessStartInfo(path, [verb]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        if (database is not null)
        {
            start.Environment["PLUGBOARD_DATABASE"] = database;
        }
        if (dataDir is not null)
        {
            start.Environment["PLUGBOARD_DATA_DIR"] = dataDir;
        }
        using var process = Process.Start(start) ?? throw new CliException($"could not start {path}.");
        var output = Pump(process.StandardOutput, s.Host.Out);
        var error = Pump(process.StandardError, s.Host.Error);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            // Interrupted: the server's verbs are resumable (rewrap moves row by row), so stopping it loses nothing.
            process.Kill(entireProcessTree: true);
            throw;
        }
        await Task.WhenAll(output, error);
        return process.ExitCode == 0 ? CliApp.Ok : CliApp.Failed;
    }

    private static async Task Pump(StreamReader from, TextWriter to)
    {
        while (await from.ReadLineAsync() is { } line)
        {
            lock (to)
            {
                to.WriteLine(line);
            }
        }
    }
}
