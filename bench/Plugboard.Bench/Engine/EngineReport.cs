using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Plugboard.Bench.Engine;

/// The engine-read run's markdown report: setup, the table against the issue's target, then per round,
/// memory, the audit trail and anything that went wrong.
internal static class EngineReport
{
    public static string Render(EngineBenchOptions options, IReadOnlyList<EngineReadRun> runs, string? loadAtStart)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## Plugboard engine-read bench, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Machine: {Environment.ProcessorCount} logical cores (nproc), {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.FrameworkDescription}; " +
            $"load average at start {loadAtStart ?? "n/a"}, at end {Report.LoadAverage() ?? "n/a"}. The load generator, the server process (and PostgreSQL) share these cores.");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Load: closed loop on 127.0.0.1, {options.Concurrency} workers on one HttpClient (SocketsHttpHandler, keep-alive, ≤ {options.Concurrency} connections), " +
            $"warm-up in 1 s slices on each endpoint in turn until {options.WarmupSeconds} s and {options.WarmupRequests:N0} requests per endpoint (at most {EngineBenchOptions.MaxWarmup.TotalSeconds:F0} s), then {options.Rounds} round(s) of {options.PhaseSeconds} s per endpoint, ABBA order " +
            $"(bare and floor first in odd rounds, read first in even ones). A request counts when its whole body is read; anything but 200 is an error.");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Read: `GET /api/v1/worker/app-connections/{{externalId}}` of one non-expiring CUSTOM_AUTH global connection shared with the token's project " +
            $"(checked: answers the seeded props), among {options.Connections:N0} filler connections (half the project's own, half globals shared with it). " +
            $"Floor: `GET /api/v1/worker/floor/app-connections/{{externalId}}`, the same token check and row read, no decryption, refresh check or audit (checked: no value). " +
            $"Bare: `GET /bench/bare/app-connections/{{externalId}}`, a constant connection of the same shape, no authentication, no database: the machine's limit. " +
            $"Both are mapped only by the bench host (bench/Plugboard.Bench.Host), never by the server.");
        text.AppendLine();
        foreach (var run in runs)
        {
            text.AppendLine(run.Error is null
                ? $"- {run.Engine}: {run.Description}; {run.Target!.Fillers:N0} filler connections seeded through the API in {run.Target.FillTime.TotalSeconds:F1} s."
                : $"- {run.Engine}: FAILED: {run.Error}");
        }
        text.AppendLine();
        var measured = runs.Where(r => r.Error is null).ToList();
        AppendMain(text, measured);
        AppendCpu(text, measured);
        AppendRounds(text, measured);
        EngineReportSections.AppendMemory(text, measured);
        EngineReportSections.AppendAudit(text, measured);
        EngineReportSections.AppendCrossCheck(text, options);
        EngineReportSections.AppendProblems(text, runs);
        return text.ToString();
    }

    private static void AppendMain(StringBuilder text, List<EngineReadRun> runs)
    {
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| engine | endpoint | requests/s | p50 | p99 | p99.9 | max | errors | server RSS mean | server RSS peak | read / floor requests/s (≥ {EngineBenchOptions.Target:F2}) |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var run in runs)
        {
            foreach (var f in new[] { run.Bare, run.Floor, run.Read })
            {
                var ratio = f.Endpoint == Endpoint.Read ? Verdict(run.Ratio.ToString("F3", CultureInfo.InvariantCulture), run.TargetMet) : "";
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {run.Engine} | {Name(f.Endpoint)} | {f.RequestsPerSecond:N0} | {Ms(f.Latency.QuantileMs(0.5))} | {Ms(f.Latency.QuantileMs(0.99))} | " +
                    $"{Ms(f.Latency.QuantileMs(0.999))} | {Ms(f.Latency.MaxMs)} | {Verdict(f.Errors.ToString("N0", CultureInfo.InvariantCulture), f.Errors == 0)} | " +
                    $"{Mib(f.MeanRssKb)} | {Mib(f.PeakRssKb)} | {ratio} |");
            }
        }
        text.AppendLine();
        foreach (var run in runs)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"- {run.Engine}: read / bare requests/s {run.BareRatio:F3}, floor / bare {run.Floor.RequestsPerSecond / run.Bare.RequestsPerSecond:F3} (no target: how far both are from the machine's limit).");
        }
    }

    private static void AppendCpu(StringBuilder text, List<EngineReadRun> runs)
    {
        text.AppendLine();
        text.AppendLine("### Where the CPU went");
        text.AppendLine();
        text.AppendLine("CPU time per request is the cost whatever else runs on the machine; requests/s depends on what is left over. " +
            "From /proc over the measured phases: the server process, the bench, the processes named postgres, and everything else (other work on the machine).");
        text.AppendLine();
        text.AppendLine("| engine | endpoint | server CPU / request | PostgreSQL CPU / request | cores busy: server | bench | PostgreSQL | other |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var run in runs)
        {
            foreach (var f in new[] { run.Bare, run.Floor, run.Read })
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {run.Engine} | {Name(f.Endpoint)} | {f.ServerCpuMicrosPerRequest:F0} µs | {f.PostgresCpuMicrosPerRequest:F0} µs | " +
                    $"{f.ServerCores:F2} | {f.BenchCores:F2} | {f.PostgresCores:F2} | {f.OtherCores:F2} |");
            }
        }
        text.AppendLine();
        foreach (var run in runs)
        {
            var (read, floor) = (run.Read.ServerCpuMicrosPerRequest, run.Floor.ServerCpuMicrosPerRequest);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"- {run.Engine}: the read costs {read / floor:F2}× the floor's server CPU per request ({read:F0} µs vs {floor:F0} µs); " +
                $"where the server's CPU is the limit, read / floor requests/s tends to {floor / read:F3}.");
        }
    }

    private static void AppendRounds(StringBuilder text, List<EngineReadRun> runs)
    {
        text.AppendLine();
        text.AppendLine("### Each phase, in the order run");
        text.AppendLine();
        text.AppendLine("| engine | round | endpoint | seconds | requests | requests/s | p50 | p99 | max | errors | server CPU / request | PostgreSQL cores busy | other cores busy |");
        text.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var run in runs)
        {
            foreach (var w in new[] { run.Warmup(Endpoint.Bare), run.Warmup(Endpoint.Floor), run.Warmup(Endpoint.Read) })
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {run.Engine} | warm-up | {Name(w.Endpoint)} | {w.Elapsed.TotalSeconds:F1} | {w.Served:N0} | {w.RequestsPerSecond:N0} | {Ms(w.Latency.QuantileMs(0.5))} | " +
                    $"{Ms(w.Latency.QuantileMs(0.99))} | {Ms(w.Latency.MaxMs)} | {w.Errors:N0} | {w.ServerCpuMicrosPerRequest:F0} µs | {w.PostgresCores:F2} | {w.OtherCores:F2} |");
            }
            foreach (var p in run.Phases.Where(p => p.Round > 0))
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {run.Engine} | {p.Round} | {Name(p.Endpoint)} | {p.Elapsed.TotalSeconds:F1} | {p.Served:N0} | " +
                    $"{p.RequestsPerSecond:N0} | {Ms(p.Latency.QuantileMs(0.5))} | {Ms(p.Latency.QuantileMs(0.99))} | {Ms(p.Latency.MaxMs)} | {p.Errors:N0} | " +
                    $"{p.ServerCpu.TotalMicroseconds / Math.Max(1, p.Served):F0} µs | {p.PostgresCores:F2} | {p.OtherCores:F2} |");
            }
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    internal static string Name(Endpoint endpoint) => endpoint.ToString().ToLowerInvariant();

    internal static string Ms(double value) => double.IsNaN(value) ? "n/a" : value.ToString("F2", CultureInfo.InvariantCulture) + " ms";

    internal static string Mib(double? kb) => kb is { } k ? (k / 1024.0).ToString("F0", CultureInfo.InvariantCulture) + " MiB" : "n/a";

    internal static string Verdict(string value, bool met) => value + (met ? " ✅" : " ❌");
}
