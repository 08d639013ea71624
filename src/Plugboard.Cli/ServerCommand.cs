using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Spectre.Console;

namespace Plugboard.Cli;

/// `plugboard server rewrap|migrate|check`: the server's own maintenance verbs, run against its database by the
/// server binary itself (same settings, same code), so the CLI carries no second copy of the schema or the crypto.
/// The verb's progress lines (`Rewrap: connection values 400/5000`) become progress bars on a terminal and pass through
/// as they are anywhere else. Ctrl-C is handed on to the verb (as SIGTERM), which stops between two writes; running the same
/// command again goes on from there.
internal static partial class ServerCommand
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);

    public static void Add(RootCommand root, CliHost host)
    {
        var server = new Command("server", "Maintenance against the server's database (run where the server's settings are).");
        foreach (var (verb, description) in new[]
        {
            ("rewrap", "Move every stored secret onto the newest key, then retire old keys no secret uses. Safe to interrupt and run again."),
            ("migrate", "Bring the schema to the latest migration."),
            ("check", "Change nothing; exit 0 only if the schema is at the latest migration and every stored secret opens with the key ring."),
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
        using var process = Start(s, verb, path, database, dataDir);
        var error = Pump(process.StandardError, s.Host.Error);
        await using var interrupt = ct.Register(() => Interrupt(process));
        var fancy = s.Host.OutputIsTerminal && !s.Output.IsJson;
        if (fancy)
        {
            var others = new List<string>();
            await s.Output.Console.Progress().AutoClear(false).StartAsync(async context =>
            {
                var bars = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                while (await process.StandardOutput.ReadLineAsync(CancellationToken.None) is { } line)
                {
                    if (ProgressLine().Match(line) is { Success: true } m)
                    {
                        var store = m.Groups["store"].Value;
                        if (!bars.TryGetValue(store, out var bar))
                        {
                            bars[store] = bar = context.AddTask(Markup.Escape(store));
                        }
                        var (done, total) = (double.Parse(m.Groups["done"].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups["total"].Value, CultureInfo.InvariantCulture));
                        // A store with nothing in it is done, not at 0 %.
                        (bar.MaxValue, bar.Value) = total == 0 ? (1, 1) : (total, done);
                    }
                    else
                    {
                        others.Add(line);
                    }
                }
            });
            others.ForEach(s.Output.Line);
        }
        else
        {
            await Pump(process.StandardOutput, s.Host.Out);
        }
        await process.WaitForExitAsync(CancellationToken.None);
        await error;
        if (ct.IsCancellationRequested)
        {
            await s.Host.Error.WriteLineAsync($"error: interrupted; run `plugboard server {verb}` again to go on.");
            return CliApp.Failed;
        }
        return process.ExitCode == 0 ? CliApp.Ok : CliApp.Failed;
    }

    private static Process Start(CliSession s, string verb, string? path, string? database, string? dataDir)
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
        return Process.Start(start) ?? throw new CliException($"could not start {path}.");
    }

    /// Asks the verb to stop with SIGTERM (which, unlike SIGINT, a process started in the background of a shell does
    /// not ignore), and kills it only if it has not stopped within the grace period.
    private static void Interrupt(Process process)
    {
        try
        {
            using var signal = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false });
            signal?.WaitForExit();
            _ = Task.Delay(StopGrace).ContinueWith(_ => KillIfRunning(process), TaskScheduler.Default);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or no `kill` here: nothing left to stop gently.
        }
    }

    private static void KillIfRunning(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It ended (and was disposed) in the meantime.
        }
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

    [GeneratedRegex(@"^(?:Rewrap|Check): (?<store>.+) (?<done>\d+)/(?<total>\d+)$")]
    private static partial Regex ProgressLine();
}
