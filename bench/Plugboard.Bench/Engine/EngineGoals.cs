using System.Globalization;

namespace Plugboard.Bench.Engine;

/// One of the goals on one engine's run: what it asks, what was measured, and whether it holds
/// (null: not measured, the phase it needs was left out of --phases or failed).
internal sealed record GoalResult(string Goal, string Measured, bool? Met)
{
    public string Line => Met switch
    {
        true => $"goal {Goal}: met ({Measured})",
        false => $"goal {Goal}: not met ({Measured})",
        null => $"goal {Goal}: not measured ({Measured})",
    };
}

/// The performance issue's goals for the engine read and the connection list, at 32 workers. A phase with
/// errors meets none of its goals: a fast 429 or 500 is not a served request.
internal static class EngineGoals
{
    public const int Concurrency = 32;
    public const double ReadCpuMicros = 120;
    public const double ReadRequestsPerSecond = 9_000;
    public const double ReadP99Ms = 15;
    public const double ReadOverBare = 0.35;
    public const double List10RequestsPerSecond = 2_500;
    public const double ProxyOverDirect = 0.5;
    public const double ProxyAddedP50Ms = 1;

    public static IReadOnlyList<GoalResult> Of(EngineReadRun run)
    {
        var read = Measure(run, Endpoint.Read);
        var bare = Measure(run, Endpoint.Bare);
        var list10 = Measure(run, Endpoint.List10);
        var list100 = Measure(run, Endpoint.List100);
        var list10Fresh = Measure(run, Endpoint.List10Fresh);
        var direct = Measure(run, Endpoint.Direct);
        var proxy = Measure(run, Endpoint.Proxy);
        return
        [
            Check($"read server CPU ≤ {ReadCpuMicros:F0} µs/read (app + database)", read,
                f => $"{f.ServerCpuMicrosPerRequest:F0} + {f.PostgresCpuMicrosPerRequest:F0} = {f.TotalCpuMicrosPerRequest:F0} µs",
                f => f.TotalCpuMicrosPerRequest <= ReadCpuMicros),
            Check($"read ≥ {ReadRequestsPerSecond:N0} req/s", read, f => $"{f.RequestsPerSecond:N0} req/s", f => f.RequestsPerSecond >= ReadRequestsPerSecond),
            Check($"read p99 ≤ {ReadP99Ms:F0} ms", read, f => EngineReport.Ms(f.Latency.QuantileMs(0.99)), f => f.Latency.QuantileMs(0.99) <= ReadP99Ms),
            read is null || bare is null
                ? new GoalResult($"read ≥ {ReadOverBare:F2}× bare", "needs read and bare in --phases", null)
                : Check($"read ≥ {ReadOverBare:F2}× bare", read, f => $"{f.RequestsPerSecond / bare.RequestsPerSecond:F3}×",
                    f => f.RequestsPerSecond / bare.RequestsPerSecond >= ReadOverBare),
            Check($"list limit=10 ≥ {List10RequestsPerSecond:N0} req/s", list10, f => $"{f.RequestsPerSecond:N0} req/s",
                f => f.RequestsPerSecond >= List10RequestsPerSecond),
            Check("list limit=10, every page read from the database, reported", list10Fresh,
                f => $"{f.RequestsPerSecond:N0} req/s, {f.TotalCpuMicrosPerRequest:F0} µs CPU", _ => true),
            proxy is null || direct is null
                ? new GoalResult($"proxy ≥ {ProxyOverDirect:F2}× direct", "needs proxy and direct in --phases", null)
                : Check($"proxy ≥ {ProxyOverDirect:F2}× direct", proxy, f => $"{f.RequestsPerSecond:N0} ÷ {direct.RequestsPerSecond:N0} = {f.RequestsPerSecond / direct.RequestsPerSecond:F3}×",
                    f => f.RequestsPerSecond / direct.RequestsPerSecond >= ProxyOverDirect),
            proxy is null || direct is null
                ? new GoalResult($"proxy adds ≤ {ProxyAddedP50Ms:F0} ms at p50", "needs proxy and direct in --phases", null)
                : Check($"proxy adds ≤ {ProxyAddedP50Ms:F0} ms at p50", proxy,
                    f => $"{EngineReport.Ms(f.Latency.QuantileMs(0.5))} vs {EngineReport.Ms(direct.Latency.QuantileMs(0.5))}",
                    f => f.Latency.QuantileMs(0.5) - direct.Latency.QuantileMs(0.5) <= ProxyAddedP50Ms),
            Check("list limit=100 reported", list100, f => $"{f.RequestsPerSecond:N0} req/s, p99 {EngineReport.Ms(f.Latency.QuantileMs(0.99))}", _ => true),
        ];

        GoalResult Check(string goal, EndpointFigures? figures, Func<EndpointFigures, string> measured, Func<EndpointFigures, bool> holds) =>
            figures switch
            {
                null => new GoalResult(goal, "needs its phase in --phases", null),
                { Errors: > 0 } => new GoalResult(goal, string.Create(CultureInfo.InvariantCulture, $"{measured(figures)}, but {figures.Errors:N0} errors"), false),
                _ => new GoalResult(goal, measured(figures), holds(figures)),
            };
    }

    /// The endpoint's figures, if it was measured.
    private static EndpointFigures? Measure(EngineReadRun run, Endpoint endpoint) =>
        run.Has(endpoint) && run.Figures(endpoint) is { Elapsed.Ticks: > 0 } figures ? figures : null;
}
