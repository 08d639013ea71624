using System.Globalization;
using System.Text;
using static Plugboard.Bench.Engine.EngineReport;

namespace Plugboard.Bench.Engine;

/// The engine report's detail: where the CPU went per endpoint, and each phase in the order run.
internal static class EngineReportPhases
{
    public static void AppendCpu(StringBuilder text, List<EngineReadRun> runs)
    {
        text.AppendLine();
        text.AppendLine("### Where the CPU went");
        text.AppendLine();
        text.AppendLine("CPU time per request is the cost whatever else runs on the machine; requests/s depends on what is left over. " +
            "Cores busy over the measured phases, from /proc: the server process, the bench, the database's processes, and everything else (other work on the machine).");
        text.AppendLine();
        text.AppendLine("| engine | endpoint | server CPU / request | database CPU / request | cores busy: server | bench | database | other |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var run in runs)
        {
            foreach (var f in run.Measured.Select(run.Figures))
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {run.Engine} | {f.Endpoint.Name()} | {f.ServerCpuMicrosPerRequest:F0} µs | {DatabaseCpu(run, f)} | " +
                    $"{f.ServerCores:F2} | {f.BenchCores:F2} | {f.PostgresCores:F2} | {f.OtherCores:F2} |");
            }
        }
        text.AppendLine();
        foreach (var run in runs.Where(r => r.Has(Endpoint.Read) && r.Has(Endpoint.Floor)))
        {
            var (read, floor) = (run.Figures(Endpoint.Read).TotalCpuMicrosPerRequest, run.Figures(Endpoint.Floor).TotalCpuMicrosPerRequest);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"- {run.Engine}: the read costs {read / floor:F2}× the floor's CPU per request, server and database ({read:F0} µs vs {floor:F0} µs); " +
                $"where CPU is the limit, read ÷ floor requests/s tends to {floor / read:F3}.");
        }
    }

    public static void AppendRounds(StringBuilder text, List<EngineReadRun> runs)
    {
        text.AppendLine();
        text.AppendLine("### Each phase, in the order run");
        text.AppendLine();
        text.AppendLine("| engine | round | endpoint | seconds | requests | requests/s | p50 | p99 | max | errors | server CPU / request | database CPU / request | database cores busy | other cores busy |");
        text.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var run in runs)
        {
            foreach (var w in run.Measured.Select(run.Warmup))
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {run.Engine} | warm-up | {w.Endpoint.Name()} | {w.Elapsed.TotalSeconds:F1} | {w.Served:N0} | {w.RequestsPerSecond:N0} | {Ms(w.Latency.QuantileMs(0.5))} | " +
                    $"{Ms(w.Latency.QuantileMs(0.99))} | {Ms(w.Latency.MaxMs)} | {w.Errors:N0} | {w.ServerCpuMicrosPerRequest:F0} µs | {DatabaseCpu(run, w)} | {w.PostgresCores:F2} | {w.OtherCores:F2} |");
            }
            foreach (var p in run.Phases.Where(p => p.Round > 0))
            {
                var f = EndpointFigures.Of(p.Endpoint, [p]);
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {run.Engine} | {p.Round} | {p.Endpoint.Name()} | {p.Elapsed.TotalSeconds:F1} | {p.Served:N0} | " +
                    $"{p.RequestsPerSecond:N0} | {Ms(p.Latency.QuantileMs(0.5))} | {Ms(p.Latency.QuantileMs(0.99))} | {Ms(p.Latency.MaxMs)} | {p.Errors:N0} | " +
                    $"{f.ServerCpuMicrosPerRequest:F0} µs | {DatabaseCpu(run, f)} | {p.PostgresCores:F2} | {p.OtherCores:F2} |");
            }
        }
    }
}
