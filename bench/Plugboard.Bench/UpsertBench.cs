using System.Diagnostics;
using Plugboard.Server.Connections;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Bench;

internal sealed record UpsertResult(int Workers, int Ops, double ServiceOpsPerSecond, double PlainOpsPerSecond)
{
    public double Ratio => ServiceOpsPerSecond / PlainOpsPerSecond;
}

/// The real upsert service against a plain EF insert of the same row (unencrypted, no audit, no
/// lookup), each with a fresh DI scope and pooled DbContext per operation. The two alternate in
/// rounds, so both meet the same table size, cache and machine state.
internal static class UpsertBench
{
    private const int Rounds = 10;
    private static int _sequence;

    public static async Task<UpsertResult> RunAsync(BenchHost host, int ops, int warmupOps, int workers, CancellationToken ct)
    {
        await RunBlockAsync(host, warmupOps, workers, ServiceUpsertAsync, ct);
        await RunBlockAsync(host, warmupOps, workers, PlainInsertAsync, ct);

        TimeSpan service = TimeSpan.Zero, plain = TimeSpan.Zero;
        for (var round = 0; round < Rounds; round++)
        {
            var count = ops / Rounds + (round < ops % Rounds ? 1 : 0);
            if (round % 2 == 0)
            {
                service += await RunBlockAsync(host, count, workers, ServiceUpsertAsync, ct);
                plain += await RunBlockAsync(host, count, workers, PlainInsertAsync, ct);
            }
            else
            {
                plain += await RunBlockAsync(host, count, workers, PlainInsertAsync, ct);
                service += await RunBlockAsync(host, count, workers, ServiceUpsertAsync, ct);
            }
        }
        return new UpsertResult(workers, ops, ops / service.TotalSeconds, ops / plain.TotalSeconds);
    }

    private static async Task<TimeSpan> RunBlockAsync(
        BenchHost host, int count, int workers, Func<BenchHost, CancellationToken, Task> operation, CancellationToken ct)
    {
        var queue = new WorkQueue(count);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (queue.TryTake())
            {
                await operation(host, ct);
            }
        }, ct)));
        return clock.Elapsed;
    }

    private static async Task ServiceUpsertAsync(BenchHost host, CancellationToken ct)
    {
        await using var scope = host.CreateScope();
        var upserter = scope.ServiceProvider.GetRequiredService<ConnectionUpserter>();
        var (_, created, error) = await upserter.UpsertAsync(BenchRows.Command(host, NextExternalId("svc")), ct);
        if (error is not null || !created)
        {
            throw new InvalidOperationException($"The upsert did not create a connection: {error?.Code ?? "updated instead"}.");
        }
    }

    private static async Task PlainInsertAsync(BenchHost host, CancellationToken ct)
    {
        await using var scope = host.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PlugboardDb>();
        var externalId = NextExternalId("plain");
        db.AppConnections.Add(BenchRows.Connection(host, BenchRows.NewId(), externalId, BenchRows.ValueJson(externalId), TimeProvider.System.UtcNow()));
        await db.SaveChangesAsync(ct);
    }

    private static string NextExternalId(string kind) => $"{kind}-{Interlocked.Increment(ref _sequence)}";

    private sealed class WorkQueue(int count)
    {
        private int _remaining = count;

        public bool TryTake() => Interlocked.Decrement(ref _remaining) >= 0;
    }
}
