using System.Diagnostics;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Bench;

/// Fills the bench project with encrypted connections in large batches: one transaction per
/// batch, change detection off. Created timestamps increase by ~1 ms per row, at microsecond
/// precision like Clock.UtcNow, and all lie before anything written later in the run.
internal static class Filler
{
    private const int BatchSize = 2_000;
    private const long TicksPerRow = 10_010;

    public static async Task<TimeSpan> FillAsync(BenchHost host, int rows, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var protector = host.Services.GetRequiredService<SecretProtector>();
        var now = TimeProvider.System.UtcNow();
        var first = now.AddTicks(-(rows + 1) * TicksPerRow);
        for (var start = 0; start < rows; start += BatchSize)
        {
            await using var scope = host.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<PlugboardDb>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var count = Math.Min(BatchSize, rows - start);
            var batch = new List<AppConnection>(count);
            for (var i = start; i < start + count; i++)
            {
                var id = BenchRows.NewId();
                var externalId = $"bulk-{i}";
                var value = protector.Protect(BenchRows.ValueJson(externalId), ConnectionSecrets.ValueContext(host.Caller.PlatformId, id));
                batch.Add(BenchRows.Connection(host, id, externalId, value, first.AddTicks(i * TicksPerRow), i));
            }
            db.AppConnections.AddRange(batch);
            await db.SaveChangesAsync(ct);
            if ((start / BatchSize) % 10 == 9)
            {
                Progress.Note($"  filled {start + count:N0} / {rows:N0}");
            }
        }
        return clock.Elapsed;
    }
}
