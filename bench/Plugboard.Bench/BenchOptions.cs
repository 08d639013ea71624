using System.Globalization;

namespace Plugboard.Bench;

/// Command line: --rows 100000 --ops 3000 --engines sqlite,postgres --workers 1,4 --requests 200
/// --warmup-ops 200 --warmup-requests 20 --page-size 100 --deep-page 1000 --no-plans --no-breakdown
/// --no-what-if --server path/to/Plugboard.Server.dll
internal sealed record BenchOptions(
    int Rows,
    int Ops,
    int WarmupOps,
    IReadOnlyList<int> Workers,
    int Requests,
    int WarmupRequests,
    int PageSize,
    int DeepPage,
    IReadOnlyList<string> Engines,
    bool ShowPlans,
    bool Breakdown,
    bool WhatIfIndex,
    string? ServerDll)
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"unexpected argument '{arg}'");
            }
            if (arg.Split('=', 2) is [var key, var inline])
            {
                values[key] = inline;
            }
            else if (arg is "--no-plans" or "--no-breakdown" or "--no-what-if")
            {
                flags.Add(arg);
            }
            else if (i + 1 < args.Length)
            {
                values[arg] = args[++i];
            }
            else
            {
                throw new UsageException($"{arg} needs a value");
            }
        }

        var known = new[] { "--rows", "--ops", "--warmup-ops", "--workers", "--requests", "--warmup-requests", "--page-size", "--deep-page", "--engines", "--server" };
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            throw new UsageException($"unknown option {unknown}; known: {string.Join(", ", known)}, --no-plans, --no-breakdown, --no-what-if");
        }

        var ops = Int(values, "--ops", 3000);
        var engines = List(values, "--engines", "sqlite,postgres");
        if (engines.FirstOrDefault(e => e is not (Sqlite or Postgres)) is { } badEngine)
        {
            throw new UsageException($"unknown engine '{badEngine}': use sqlite, postgres or both");
        }
        return new BenchOptions(
            Rows: Int(values, "--rows", 100_000),
            Ops: ops,
            WarmupOps: Int(values, "--warmup-ops", Math.Clamp(ops / 10, 1, 200)),
            Workers: List(values, "--workers", "1,4").Select(w => ParsePositive("--workers", w)).ToList(),
            Requests: Int(values, "--requests", 200),
            WarmupRequests: Int(values, "--warmup-requests", 20),
            PageSize: Int(values, "--page-size", 100),
            DeepPage: Int(values, "--deep-page", 1000),
            Engines: engines,
            ShowPlans: !flags.Contains("--no-plans"),
            Breakdown: !flags.Contains("--no-breakdown"),
            WhatIfIndex: !flags.Contains("--no-what-if"),
            ServerDll: values.GetValueOrDefault("--server"));
    }

    /// The deep page measured: page <see cref="DeepPage"/>, or the last full page of a smaller fill.
    public int EffectiveDeepPage => Math.Max(1, Math.Min(DeepPage, Rows / PageSize));

    private static int Int(Dictionary<string, string> values, string key, int fallback) =>
        values.TryGetValue(key, out var text) ? ParsePositive(key, text) : fallback;

    private static int ParsePositive(string key, string text) =>
        int.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new UsageException($"{key} must be a positive whole number, not '{text}'");

    private static List<string> List(Dictionary<string, string> values, string key, string fallback) =>
        values.GetValueOrDefault(key, fallback)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => v.ToLowerInvariant())
            .Distinct()
            .ToList();
}

internal sealed class UsageException(string message) : Exception(message);
