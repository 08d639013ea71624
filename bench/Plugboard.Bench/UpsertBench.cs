using System.Collections.Concurrent;
using System.Diagnostics;

namespace Plugboard.Bench;

internal sealed record UpsertResult(int Workers, int Ops, IReadOnlyDictionary<string, double> OpsPerSecond, IReadOnlyDictionary<string, double> P99Ms)
{
    public double Service => OpsPerSecond[WriteOperations.Service.Name];
    public double Plain => OpsPerSecond[WriteOperations.Plain.Name];
    public double Ratio => Service / Plain;
    public double ServiceP99Ms => P99Ms[WriteOperations.Service.Name];
    public double PlainP99Ms => P99Ms[WriteOperations.Plain.Name];
}

/// Times the write operations against each other in the same process and database: the real
/// upsert service, the plain EF insert it is held to, and (with --breakdown) the plain insert plus
/// one of the service's extra steps at a time. They take turns in rounds, each round starting with
/// the next one, so all meet the same table size, caches and machine state.
internal static class UpsertBench
{
    private const int OpsPerBlock = 100;

    public static async Task<UpsertResult> RunAsync(
        BenchHost host, IReadOnlyList<WriteOperation> operations, int ops, int warmupOps, int workers, CancellationToken ct)
    {
        foreach (var operation in operations)
        {
            await RunBlockAsync(host, warmupOps, workers, operation, ct);
        }
        var elapsed = operations.ToDictionary(o => o.Name, _ => TimeSpan.Zero);
        var latencies = operations.ToDictionary(o => o.Name, _ => new ConcurrentBag<double>());
        var rounds = Rounds(ops);
        for (var round = 0; round < rounds; round++)
        {
            var count = ops / rounds + (round < ops % rounds ? 1 : 0);
            for (var turn = 0; turn < operations.Count; turn++)
            {
                var operation = operations[(round + turn) % operations.Count];
                elapsed[operation.Name] += await RunBlockAsync(host, count, workers, operation, ct, latencies[operation.Name]);
            }
        }
        return new UpsertResult(workers, ops, elapsed.ToDictionary(e => e.Key, e => ops / e.Value.TotalSeconds),
            latencies.ToDictionary(l => l.Key, l => Quantile(l.Value, 0.99)));
    }

    /// Short turns of about 100 operations, at least 10 of them, so a burst of load from elsewhere
    /// on the machine falls on every kind alike.
    public static int Rounds(int ops) => Math.Max(10, ops / OpsPerBlock);

    private static async Task<TimeSpan> RunBlockAsync(
        BenchHost host, int count, int workers, WriteOperation operation, CancellationToken ct, ConcurrentBag<double>? latencies = null)
    {
        var queue = new WorkQueue(count);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (queue.TryTake())
            {
                var started = Stopwatch.GetTimestamp();
                await operation.RunAsync(host, ct);
                latencies?.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }, ct)));
        return clock.Elapsed;
    }

    private static double Quantile(IEnumerable<double> values, double q)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
    }

    private sealed class WorkQueue(int count)
    {
        private int _remaining = count;

        public bool TryTake() => Interlocked.Decrement(ref _remaining) >= 0;
    }
}
