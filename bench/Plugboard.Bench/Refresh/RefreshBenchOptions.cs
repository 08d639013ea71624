using System.Globalization;

namespace Plugboard.Bench.Refresh;

/// Command line after `refresh`: --connections 10000 --servers 3 --failure-rate 0,0.2 --parallelism 8
/// --batch-size 200 --interval 1 --cooldown 2 --window 30 --seed-concurrency 16 --timeout 600
/// --lead 40 --server path/to/Plugboard.Server.dll
internal sealed record RefreshBenchOptions(
    int Connections,
    int Servers,
    IReadOnlyList<double> FailureRates,
    int Parallelism,
    int BatchSize,
    double IntervalSeconds,
    double CooldownSeconds,
    int WindowSeconds,
    int SeedConcurrency,
    int TimeoutSeconds,
    int? LeadSeconds,
    string? ServerDll)
{
    private static readonly string[] Known =
    [
        "--connections", "--servers", "--failure-rate", "--parallelism", "--batch-size", "--interval", "--cooldown",
        "--window", "--seed-concurrency", "--timeout", "--lead", "--server",
    ];

    public static RefreshBenchOptions Parse(IReadOnlyList<string> args)
    {
        var values = SuiteArgs.Parse("refresh", args, Known);

        var rates = values.GetValueOrDefault("--failure-rate", "0,0.2")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(r => Number("--failure-rate", r, min: 0, max: 1))
            .ToList();
        if (rates.Count == 0)
        {
            throw new UsageException("refresh: --failure-rate needs at least one rate, e.g. 0,0.2");
        }
        return new RefreshBenchOptions(
            Connections: Int(values, "--connections", 10_000),
            Servers: Int(values, "--servers", 3),
            FailureRates: rates,
            Parallelism: Int(values, "--parallelism", 8),
            BatchSize: Int(values, "--batch-size", 200),
            IntervalSeconds: values.TryGetValue("--interval", out var interval) ? Number("--interval", interval, min: 0.1, max: 3600) : 1,
            // The server's default is 30 s; short here so transient failures are retried within the run.
            CooldownSeconds: values.TryGetValue("--cooldown", out var cooldown) ? Number("--cooldown", cooldown, min: 0.1, max: 3600) : 2,
            WindowSeconds: Int(values, "--window", 30),
            SeedConcurrency: Int(values, "--seed-concurrency", 16),
            TimeoutSeconds: Int(values, "--timeout", 600),
            LeadSeconds: values.ContainsKey("--lead") ? Int(values, "--lead", 0) : null,
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
            : throw new UsageException($"refresh: {key} must be a positive whole number, not '{text}'");
    }

    private static double Number(string key, string text, double min, double max) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new UsageException($"refresh: {key} must be a number from {min} to {max}, not '{text}'");
}
