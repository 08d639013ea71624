using Plugboard.Testing.FakeOAuth;

namespace Plugboard.Bench.Refresh;

/// What one replica did in the run, from its log (since start-up) and /proc.
internal sealed record ReplicaFigures(ProcessUsage Usage, int Refreshed, int TransientFailures, int MarkedError, int NewerCredentialsWon, int ErrorEntries)
{
    public static ReplicaFigures Of(ServerProcess replica) => new(
        replica.Usage(),
        Refreshed: replica.Count("LeasedRefresh[3001]"),
        TransientFailures: replica.Count("LeasedRefresh[3002]"),
        MarkedError: replica.Count("LeasedRefresh[3003]"),
        NewerCredentialsWon: replica.Count("LeasedRefresh[3004]"),
        ErrorEntries: replica.Count("fail: ") + replica.Count("crit: "));
}

/// Seconds from a connection's due time to the provider's answer of its first successful refresh.
internal sealed record Lag(double P50, double P99, double Max)
{
    public static Lag Of(List<double> seconds)
    {
        if (seconds.Count == 0)
        {
            return new Lag(double.NaN, double.NaN, double.NaN);
        }
        seconds.Sort();
        return new Lag(Percentile(seconds, 0.50), Percentile(seconds, 0.99), seconds[^1]);
    }

    /// Nearest rank, as ListBench's latencies.
    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

/// One run's numbers against the targets, from the provider's record of /token calls and the
/// connections as the API lists them afterwards.
internal sealed record RefreshFigures(
    double FailureRate,
    SeedResult Seed,
    bool Drained,
    int Refreshed,
    int SuccessfulCalls,
    int RefreshCalls,
    int RefreshedTwiceOrMore,
    int RefreshedBeforeExpiry,
    Lag Lag,
    TimeSpan Drain,
    TimeSpan? Drain99,
    int Active,
    int Error,
    int OtherStatus,
    int StoredNewTokens,
    int InvalidGrant,
    int UnattributedCalls,
    IReadOnlyDictionary<string, int> CallOutcomes,
    IReadOnlyList<ReplicaFigures> Replicas,
    IReadOnlyList<string> Anomalies)
{
    public int Connections => Seed.Connections.Count;
    public double SuccessfulCallsPerConnection => SuccessfulCalls / (double)Connections;
    public double CallsPerConnection => RefreshCalls / (double)Connections;
    /// Refreshes per second from the first due time to the last connection's refresh.
    public double Throughput => Refreshed / Drain.TotalSeconds;

    public bool TargetsMet =>
        Drained && Refreshed == Connections && SuccessfulCalls == Connections && RefreshedBeforeExpiry == Connections &&
        Error == 0 && InvalidGrant == 0 && StoredNewTokens == Connections;

    public static RefreshFigures From(
        double failureRate, SeedResult seed, bool drained, IReadOnlyList<TokenCall> calls,
        IReadOnlyDictionary<string, ConnectionState> states, IReadOnlyList<ReplicaFigures> replicas)
    {
        var refreshCalls = calls.Where(c => c.GrantType == RefreshWatch.RefreshGrant).ToList();
        var byFamily = refreshCalls.Where(c => c.FamilyId is not null).ToLookup(c => c.FamilyId!, StringComparer.Ordinal);
        var lags = new List<double>();
        var firstSuccesses = new List<DateTime>();
        int refreshed = 0, successes = 0, attributed = 0, twice = 0, beforeExpiry = 0, stored = 0;
        var lastFirstSuccess = seed.WindowStart;
        foreach (var connection in seed.Connections)
        {
            var family = byFamily[connection.FamilyId].ToList();
            attributed += family.Count;
            var ok = family.Where(c => c.Status == 200).ToList();
            successes += ok.Count;
            twice += ok.Count > 1 ? 1 : 0;
            if (states.TryGetValue(connection.Id, out var state) && state.Status == "ACTIVE" && state.ExpiresAt > connection.ExpiresAt)
            {
                stored++;
            }
            if (ok.Count == 0)
            {
                continue;
            }
            refreshed++;
            var first = ok[0].At.UtcDateTime;
            lags.Add((first - connection.DueAt).TotalSeconds);
            firstSuccesses.Add(first);
            beforeExpiry += first < connection.ExpiresAt ? 1 : 0;
            lastFirstSuccess = first > lastFirstSuccess ? first : lastFirstSuccess;
        }
        var seeded = seed.Connections.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var listed = states.Values.Where(s => seeded.Contains(s.Id)).ToList();
        return new RefreshFigures(
            failureRate,
            seed,
            drained,
            refreshed,
            successes,
            attributed,
            twice,
            beforeExpiry,
            Lag.Of(lags),
            lastFirstSuccess - seed.WindowStart,
            NinetyNinthPercentileDrain(firstSuccesses, seed),
            Active: listed.Count(s => s.Status == "ACTIVE"),
            Error: listed.Count(s => s.Status == "ERROR"),
            OtherStatus: seed.Connections.Count - listed.Count(s => s.Status is "ACTIVE" or "ERROR"),
            stored,
            InvalidGrant: refreshCalls.Count(c => c.Error == "invalid_grant"),
            UnattributedCalls: refreshCalls.Count - attributed,
            CallOutcomes: refreshCalls.GroupBy(c => c.Error is null ? $"{c.Status}" : $"{c.Status} {c.Error}")
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            replicas,
            RefreshAnomalies.Describe(seed, byFamily, states));
    }

    /// When 99 % of the connections had been refreshed, from the first due time: the drain without the
    /// few connections whose repeated transient failures put them in long back-offs.
    private static TimeSpan? NinetyNinthPercentileDrain(List<DateTime> firstSuccesses, SeedResult seed)
    {
        var needed = (int)Math.Ceiling(0.99 * seed.Connections.Count);
        if (firstSuccesses.Count < needed)
        {
            return null;
        }
        firstSuccesses.Sort();
        return firstSuccesses[needed - 1] - seed.WindowStart;
    }
}
