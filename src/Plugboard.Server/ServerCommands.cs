using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Configuration;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;

namespace Plugboard.Server;

/// The operator verbs besides `rewrap` (`plugboard server migrate|check` runs them): `migrate` brings the schema to
/// the latest migration and exits; `check` changes nothing and exits 0 only when the schema is at the latest
/// migration and every connection value opens with the key ring.
public static class ServerCommands
{
    public static bool Handles(string[] args) => args.Contains("migrate") || args.Contains("check");

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            await using var app = PlugboardApp.Build(args);
            if (args.Contains("migrate"))
            {
                // The start-up sequence is the migration path (advisory lock, history table, key canary, bootstrap).
                await Startup.InitializeAsync(app.Services);
                await using var done = app.Services.CreateAsyncScope();
                var applied = await done.ServiceProvider.GetRequiredService<PlugboardDb>().Database.GetAppliedMigrationsAsync();
                Console.WriteLine($"Migrate: the schema is at the latest migration ({applied.LastOrDefault() ?? "none"}).");
                return 0;
            }
            return await CheckAsync(app.Services);
        }
        catch (StartupException e) when (StartupFailure.OwnsProcess)
        {
            return await StartupFailure.ExitAsync(e.Message);
        }
    }

    private static async Task<int> CheckAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<PlugboardDb>();
        var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
        if (pending.Count > 0)
        {
            Console.WriteLine($"Check: the schema is {pending.Count} migration(s) behind ({string.Join(", ", pending)}): run `plugboard server migrate`.");
            return 1;
        }
        // Read-only: the key ring is loaded and its canaries verified, but no canary is written for a new key.
        var canaries = await db.KeyCanaries.AsNoTracking().ToListAsync();
        var ring = KeyRingLoader.Load(sp.GetRequiredService<IConfiguration>()[KeyRingLoader.EnvironmentVariable],
            sp.GetRequiredService<StorageOptions>(), hasEncryptedData: true, sp.GetRequiredService<ILoggerFactory>().CreateLogger("Plugboard.Check"));
        KeyRingLoader.Verify(ring, canaries);
        var protector = new SecretProtector(ring);
        var examined = 0;
        var failed = new List<string>();
        var lastId = "";
        while (true)
        {
            var batch = await db.AppConnections.AsNoTracking().Where(c => string.Compare(c.Id, lastId) > 0).OrderBy(c => c.Id)
                .Select(c => new { c.Id, c.PlatformId, c.Value }).Take(500).ToListAsync();
            if (batch.Count == 0)
            {
                break;
            }
            foreach (var row in batch)
            {
                examined++;
                try
                {
                    _ = protector.Unprotect(row.Value, ConnectionSecrets.ValueContext(row.PlatformId, row.Id));
                }
                catch (SecretDecryptionException)
                {
                    failed.Add(row.Id);
                }
            }
            lastId = batch[^1].Id;
            Console.WriteLine($"Check: {examined} connection values examined…");
        }
        Console.WriteLine($"Check: the schema is at the latest migration; {ring.Keys.Count} key(s) in the ring; {examined} connection values examined, " +
            $"{failed.Count} unreadable{(failed.Count == 0 ? "" : $" ({string.Join(", ", failed)})")}.");
        return failed.Count == 0 ? 0 : 1;
    }
}
