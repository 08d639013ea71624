using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Plugboard.Testing.FakeOAuth;

namespace Plugboard.Bench.Refresh;

/// A connection as seeded: its refresh-token family at the provider, and when it was due and expiring.
internal sealed record SeededConnection(string Id, string FamilyId, DateTime DueAt, DateTime ExpiresAt, DateTime CreatedAt);

internal sealed record SeedResult(
    string ProjectId,
    IReadOnlyList<SeededConnection> Connections,
    DateTime WindowStart,
    DateTime WindowEnd,
    TimeSpan Lead,
    int CalibrationCount,
    double CalibrationRate,
    TimeSpan SeedTime)
{
    public double SeedRate => Connections.Count / SeedTime.TotalSeconds;
    /// Connections whose upsert was answered only after they were due: the estimate of the seeding time was short.
    public int SeededAfterDue => Connections.Count(c => c.CreatedAt > c.DueAt);
}

/// Seeds OAUTH2 connections with pre-claimed tokens through the first replica's API, so they all fall
/// due in one window that opens once the seeding is done. A token lives LifetimeSeconds and falls due
/// MarginSeconds before it expires, so "refreshed before expiry" leaves a quarter of an hour of slack.
internal static class RefreshSeeder
{
    public const int LifetimeSeconds = 3600;
    public const string ClientId = "bench-client";
    private const string ClientSecret = "bench-client-secret";
    private const string PieceName = "@bench/piece-crm";

    public static async Task<SeedResult> SeedAsync(HttpClient http, FakeOAuthProvider fake, RefreshBenchOptions options, CancellationToken ct)
    {
        fake.AddClient(ClientId, ClientSecret);

        // Time a few upserts of the same shape first (due in 45 minutes, so never refreshed in the run) to
        // know how long the real seeding will take, and so where to put the window. The first batch only
        // warms the server up: its first requests are slow.
        var calibrationProject = await CreateProjectAsync(http, "bench-calibration", ct);
        var calibrationCount = Math.Clamp(options.Connections / 20, 20, 200);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await SeedManyAsync(http, fake, calibrationProject, calibrationCount, options.SeedConcurrency, "warm-up", _ => now, checkDue: false, ct);
        var calibrationTime = Stopwatch.StartNew();
        await SeedManyAsync(http, fake, calibrationProject, calibrationCount, options.SeedConcurrency, "calibration", _ => now, checkDue: false, ct);
        var calibrationRate = calibrationCount / calibrationTime.Elapsed.TotalSeconds;

        var projectId = await CreateProjectAsync(http, "bench-refresh", ct);
        var lead = TimeSpan.FromSeconds(options.LeadSeconds ?? Math.Ceiling(options.Connections / calibrationRate * 1.25 + 5));
        var started = DateTime.UtcNow;
        var windowStart = DateTime.UnixEpoch.AddSeconds(Math.Ceiling((started + lead - DateTime.UnixEpoch).TotalSeconds));
        var firstDue = (long)(windowStart - DateTime.UnixEpoch).TotalSeconds;
        // Spread evenly over the window, earliest due seeded first; claimed_at is whole seconds.
        long DueSeconds(int i) => firstDue + (long)i * options.WindowSeconds / options.Connections;
        Progress.Note($"seeding {options.Connections:N0} connections ({calibrationRate:F0}/s in calibration); due from {windowStart:HH:mm:ss} UTC over {options.WindowSeconds} s");

        var seedTime = Stopwatch.StartNew();
        var connections = await SeedManyAsync(http, fake, projectId, options.Connections, options.SeedConcurrency, "bench",
            i => DueSeconds(i) - (LifetimeSeconds - RefreshCluster.MarginSeconds), checkDue: true, ct);
        seedTime.Stop();
        return new SeedResult(projectId, connections, windowStart, DateTime.UnixEpoch.AddSeconds(DueSeconds(options.Connections - 1)),
            windowStart - started, calibrationCount, calibrationRate, seedTime.Elapsed);
    }

    private static async Task<string> CreateProjectAsync(HttpClient http, string name, CancellationToken ct)
    {
        var project = await BenchApi.PostAsync(http, "/api/v1/projects", new { displayName = name, externalId = $"{name}-{Guid.NewGuid():N}" }, HttpStatusCode.Created, ct);
        return project.GetProperty("id").GetString()!;
    }

    private static async Task<SeededConnection[]> SeedManyAsync(
        HttpClient http, FakeOAuthProvider fake, string projectId, int count, int concurrency, string prefix, Func<int, long> claimedAt, bool checkDue, CancellationToken ct)
    {
        var seeded = new SeededConnection[count];
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct }, async (i, token) =>
        {
            seeded[i] = await SeedOneAsync(http, fake, projectId, $"{prefix}-{i}", claimedAt(i), checkDue, token);
            if (Interlocked.Increment(ref done) % 2000 == 0)
            {
                Progress.Note($"  {done:N0} of {count:N0} seeded");
            }
        });
        return seeded;
    }

    private static async Task<SeededConnection> SeedOneAsync(
        HttpClient http, FakeOAuthProvider fake, string projectId, string externalId, long claimedAt, bool checkDue, CancellationToken ct)
    {
        var tokens = fake.IssueTokens(ClientId);
        var value = new JsonObject
        {
            ["type"] = "OAUTH2",
            ["access_token"] = tokens.AccessToken,
            ["refresh_token"] = tokens.RefreshToken,
            ["token_type"] = "Bearer",
            ["expires_in"] = LifetimeSeconds,
            ["claimed_at"] = claimedAt,
            ["client_id"] = ClientId,
            ["client_secret"] = ClientSecret,
            ["token_url"] = fake.TokenUrl,
        };
        var created = await BenchApi.PostAsync(http, "/api/v1/app-connections", new
        {
            projectId,
            externalId,
            displayName = $"Bench CRM {externalId}",
            pieceName = PieceName,
            type = "OAUTH2",
            value,
        }, HttpStatusCode.Created, ct);
        var answeredAt = DateTime.UtcNow;
        var expiresAt = BenchApi.Time(created, "expiresAt") ?? throw new InvalidOperationException($"no expiresAt in {created}");
        var dueAt = BenchApi.Time(created, "nextRefreshAt") ?? throw new InvalidOperationException($"no nextRefreshAt in {created}");
        var expectedDue = DateTime.UnixEpoch.AddSeconds(claimedAt + LifetimeSeconds - RefreshCluster.MarginSeconds);
        if (checkDue && dueAt != expectedDue)
        {
            throw new InvalidOperationException($"the server scheduled {externalId} for {dueAt:O}, the bench expected {expectedDue:O}: {created}");
        }
        return new SeededConnection(created.GetProperty("id").GetString()!, tokens.FamilyId, dueAt, expiresAt, answeredAt);
    }
}
