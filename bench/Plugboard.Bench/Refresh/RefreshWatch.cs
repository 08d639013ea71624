using System.Diagnostics;
using Plugboard.Testing.FakeOAuth;

namespace Plugboard.Bench.Refresh;

/// Waits on the provider's own record until every seeded family has had a successful refresh, the
/// connections still waiting are all ERROR (nothing will refresh them), or the timeout passes; then a
/// little longer, so a second refresh of a connection would still be seen.
internal static class RefreshWatch
{
    public const string RefreshGrant = "refresh_token";
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(10);

    public static async Task<bool> WaitAsync(FakeOAuthProvider fake, HttpClient http, SeedResult seed, RefreshBenchOptions options, CancellationToken ct)
    {
        var families = seed.Connections.Select(c => c.FamilyId).ToHashSet(StringComparer.Ordinal);
        var deadline = seed.WindowEnd + TimeSpan.FromSeconds(options.TimeoutSeconds);
        var lastCheck = Stopwatch.StartNew();
        HashSet<string> refreshed;
        while (true)
        {
            refreshed = fake.Calls
                .Where(c => c is { GrantType: RefreshGrant, Status: 200 } && c.FamilyId is not null && families.Contains(c.FamilyId))
                .Select(c => c.FamilyId!)
                .ToHashSet(StringComparer.Ordinal);
            if (refreshed.Count == families.Count || DateTime.UtcNow > deadline)
            {
                break;
            }
            if (lastCheck.Elapsed > CheckEvery)
            {
                Progress.Note($"  {refreshed.Count:N0} of {families.Count:N0} refreshed; {fake.RefreshCalls:N0} refresh calls so far");
                if (DateTime.UtcNow > seed.WindowEnd && await AllWaitingAreErrorAsync(http, seed, refreshed, ct))
                {
                    Progress.Note("  every connection still waiting is ERROR: not waiting for the timeout");
                    break;
                }
                lastCheck.Restart();
            }
            await Task.Delay(500, ct);
        }
        Progress.Note($"  {refreshed.Count:N0} of {families.Count:N0} refreshed; settling");
        // Two scans of every replica: long enough for a duplicate refresh, or a write-back in flight, to land.
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(3, 2 * options.IntervalSeconds)), ct);
        return refreshed.Count == families.Count;
    }

    private static async Task<bool> AllWaitingAreErrorAsync(HttpClient http, SeedResult seed, HashSet<string> refreshed, CancellationToken ct)
    {
        var inError = await ConnectionReader.ReadAllAsync(http, seed.ProjectId, ct, status: "ERROR");
        return seed.Connections.Where(c => !refreshed.Contains(c.FamilyId)).All(c => inError.ContainsKey(c.Id));
    }
}
