using System.Globalization;

namespace Plugboard.Bench.Engine;

/// Command line after `engine`: --engines sqlite,postgres --concurrency 32 --phase-seconds 10 --rounds 2
/// --warmup-seconds 5 --warmup-requests 20000 --connections 1000 --server path/to/Plugboard.Server.dll
internal sealed record EngineBenchOptions(
    IReadOnlyList<string> Engines,
    int Concurrency,
    int PhaseSeconds,
    int Rounds,
    int WarmupSeconds,
    int WarmupRequests,
    int Connections,
    string? ServerDll)
{
    /// The target: the engine read serves at least this share of the floor's requests/s.
    public const double Target = 0.8;

    private static readonly string[] Known =
        ["--engines", "--concurrency", "--phase-seconds", "--rounds", "--warmup-seconds", "--warmup-requests", "--connections", "--server"];

    /// The warm-up goes on past --warmup-seconds until each endpoint has served --warmup-requests (the JIT's
    /// tiering wants calls, not seconds), but not past this.
    public static readonly TimeSpan MaxWarmup = TimeSpan.FromSeconds(60);

    /// Long enough for the run (warm-up, phases, seeding, the audit check) with room to spare.
    public int TokenTtlSeconds => (int)Math.Min(86_400, Math.Max(WarmupSeconds, MaxWarmup.TotalSeconds) + 2 * Rounds * PhaseSeconds + 1800);

    public static EngineBenchOptions Parse(IReadOnlyList<string> args)
    {
        var values = SuiteArgs.Parse("engine", args, Known);

        var engines = values.GetValueOrDefault("--engines", "sqlite,postgres")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(e => e.ToLowerInvariant())
            .Distinct()
            .ToList();
        if (engines.Count == 0 || engines.Any(e => e is not (BenchOptions.Sqlite or BenchOptions.Postgres)))
        {
            throw new UsageException("engine: --engines takes sqlite, postgres or both");
        }
        return new EngineBenchOptions(
            Engines: engines,
            Concurrency: Int(values, "--concurrency", 32),
            PhaseSeconds: Int(values, "--phase-seconds", 10),
            Rounds: Int(values, "--rounds", 2),
            WarmupSeconds: Int(values, "--warmup-seconds", 5),
            WarmupRequests: Int(values, "--warmup-requests", 20_000),
            Connections: Int(values, "--connections", 1000),
            ServerDll: values.GetValueOrDefault("--server"));
    }

    private static int Int(Dictionary<string, string> values, string key, int fallback)
    {
        if (!values.TryGetValue(key, out var text))
        {
            return fallback;
        }
        return int.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new UsageException($"engine: {key} must be a positive whole number, not '{text}'");
    }
}
