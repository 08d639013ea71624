using Plugboard.Testing.FakeOAuth;

namespace Plugboard.Bench.Refresh;

/// One run: a fresh fake provider, database and set of server processes; seed, wait for the workers to
/// refresh everything, read it all back, count.
internal sealed record RefreshRun(double FailureRate, RefreshFigures? Figures, string? Database, IReadOnlyList<string> ServerTails, string? Error)
{
    private const int TailEntries = 15;

    public static async Task<RefreshRun> RunAsync(RefreshBenchOptions options, double failureRate, string serverDll, CancellationToken ct)
    {
        var label = $"refresh, failure rate {failureRate:0.##}";
        Progress.Note($"{label}: fake provider, fresh database, {options.Servers} server process(es)");
        await using var fake = await FakeOAuthProvider.StartAsync(ct);
        fake.TransientFailureRate = failureRate;
        RefreshCluster? cluster = null;
        try
        {
            cluster = await RefreshCluster.StartAsync(options, serverDll, ct);
            using var http = BenchApi.Client(cluster.Replicas[0].BaseAddress, cluster.AdminKey);
            var seed = await RefreshSeeder.SeedAsync(http, fake, options, ct);
            Progress.Note($"{label}: seeded in {seed.SeedTime.TotalSeconds:F1} s ({seed.SeedRate:F0}/s); waiting for the workers");

            var drained = await RefreshWatch.WaitAsync(fake, http, seed, options, ct);
            var states = await ConnectionReader.ReadAllAsync(http, seed.ProjectId, ct);
            var replicas = cluster.Replicas.Select(ReplicaFigures.Of).ToList();
            var figures = RefreshFigures.From(failureRate, seed, drained, fake.Calls, states, replicas);
            foreach (var line in figures.Anomalies)
            {
                Progress.Note($"{label}: {line}");
            }
            var tails = figures.TargetsMet ? [] : Tails(cluster);
            return new RefreshRun(failureRate, figures, cluster.Description, tails, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Progress.Note($"{label}: failed: {e}");
            return new RefreshRun(failureRate, null, cluster?.Description, cluster is null ? [] : Tails(cluster), e.Message);
        }
        finally
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }
        }
    }

    private static List<string> Tails(RefreshCluster cluster) =>
        [.. cluster.Replicas.SelectMany(r => r.Tail(TailEntries).Select(entry => $"{r.Name}: {entry}"))];
}
