using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Configuration;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Maintenance;

namespace Plugboard.Server;

/// The operator verbs (`plugboard server migrate|check|rewrap` runs them). `migrate` brings the schema to the latest
/// migration and exits; `check` changes nothing and exits 0 only when the schema is at the latest migration and every
/// stored secret opens with the key ring; `rewrap` (run by <see cref="PlugboardApp"/> after the start-up checks) moves
/// every secret to the newest key. Long work prints a line per step, `Verb: <store> <done>/<total>`, which the CLI turns
/// into progress bars; Ctrl-C or SIGTERM stops it cleanly (exit 130), and running it again goes on from there.
public static class ServerCommands
{
    public const int Interrupted = 130;

    public static bool Handles(string[] args) => args.Contains("migrate") || args.Contains("check");

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            await using var app = PlugboardApp.Build(args);
            return args.Contains("migrate") ? await MigrateAsync(app.Services) : await InterruptibleAsync("Check", ct => CheckAsync(app.Services, ct));
        }
        catch (StartupException e) when (StartupFailure.OwnsProcess)
        {
            return await StartupFailure.ExitAsync(e.Message);
        }
    }

    public static Task<int> RewrapAsync(IServiceProvider services) => InterruptibleAsync("Rewrap", async ct =>
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var report = await Rewrap.RunAsync(sp.GetRequiredService<PlugboardDb>(), sp.GetRequiredService<SecretProtector>(), ct,
            sp.GetServices<ISecretStore>(), new ProgressLines("Rewrap"));
        Console.WriteLine($"Rewrap: {report.Examined} secrets examined, {report.Rewrapped} moved to the newest key, {report.AlreadyCurrent} already on it, " +
            $"{Unreadable(report.FailedIds)}; retired key ids: {(report.RetiredKeyIds.Count == 0 ? "none" : string.Join(", ", report.RetiredKeyIds))}.");
        return report.FailedIds.Count == 0 ? 0 : 1;
    });

    private static async Task<int> MigrateAsync(IServiceProvider services)
    {
        await using (var before = services.CreateAsyncScope())
        {
            var pending = (await before.ServiceProvider.GetRequiredService<PlugboardDb>().Database.GetPendingMigrationsAsync()).ToList();
            Console.WriteLine(pending.Count == 0 ? "Migrate: nothing to apply." : $"Migrate: applying {pending.Count} migration(s), each in its own transaction…");
        }
        // The start-up sequence is the migration path (advisory lock, history table, key canary, bootstrap).
        await Startup.InitializeAsync(services);
        await using var done = services.CreateAsyncScope();
        var applied = await done.ServiceProvider.GetRequiredService<PlugboardDb>().Database.GetAppliedMigrationsAsync();
        Console.WriteLine($"Migrate: the schema is at the latest migration ({applied.LastOrDefault() ?? "none"}).");
        return 0;
    }

    private static async Task<int> CheckAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<PlugboardDb>();
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count > 0)
        {
            Console.WriteLine($"Check: the schema is {pending.Count} migration(s) behind ({string.Join(", ", pending)}): run `plugboard server migrate`.");
            return 1;
        }
        // Read-only: the key ring is loaded and its canaries verified, but no canary is written for a new key.
        var canaries = await db.KeyCanaries.AsNoTracking().ToListAsync(ct);
        var ring = KeyRingLoader.Load(sp.GetRequiredService<IConfiguration>()[KeyRingLoader.EnvironmentVariable],
            sp.GetRequiredService<StorageOptions>(), hasEncryptedData: true, sp.GetRequiredService<ILoggerFactory>().CreateLogger("Plugboard.Check"));
        KeyRingLoader.Verify(ring, canaries);
        var report = await SecretCheck.RunAsync(db, new SecretProtector(ring), sp.GetServices<ISecretStore>(), new ProgressLines("Check"), ct);
        Console.WriteLine($"Check: the schema is at the latest migration; {ring.Keys.Count} key(s) in the ring; {report.Examined} secrets examined " +
            $"({string.Join(", ", report.Stores.Select(s => $"{s.Examined} {s.Store}"))}), {Unreadable(report.FailedIds)}.");
        return report.FailedIds.Count == 0 ? 0 : 1;
    }

    private static string Unreadable(IReadOnlyList<string> failed) =>
        $"{failed.Count} unreadable{(failed.Count == 0 ? "" : $" ({string.Join(", ", failed)})")}";

    /// Runs the verb with SIGINT and SIGTERM turned into a cancellation: the verb stops between two writes, says so
    /// and exits 130 instead of being killed in the middle of one.
    private static async Task<int> InterruptibleAsync(string verb, Func<CancellationToken, Task<int>> run)
    {
        using var interrupted = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            interrupted.Cancel();
        }
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            return await run(interrupted.Token);
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            Console.WriteLine($"{verb}: interrupted. Nothing is lost: what was done stays done; run it again to go on.");
            return Interrupted;
        }
    }

    private sealed class ProgressLines(string verb) : IProgress<SecretProgress>
    {
        public void Report(SecretProgress value) => Console.WriteLine($"{verb}: {value.Store} {value.Done}/{value.Total}");
    }
}
