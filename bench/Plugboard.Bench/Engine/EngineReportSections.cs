using System.Globalization;
using System.Text;
using Plugboard.Server.Http;
using Plugboard.Server.Platform;
using static Plugboard.Bench.Engine.EngineReport;

namespace Plugboard.Bench.Engine;

/// The engine-read report's sections after the main table: memory, the audit trail, the wrk cross-check
/// and anything that went wrong.
internal static class EngineReportSections
{
    public static void AppendMemory(StringBuilder text, List<EngineReadRun> runs)
    {
        text.AppendLine();
        text.AppendLine("### Server process memory and CPU");
        text.AppendLine();
        text.AppendLine("RSS from /proc/<pid>/status: VmRSS sampled every 200 ms during the measured phases, VmHWM (peak since start, seeding included) at the end.");
        text.AppendLine();
        text.AppendLine("| engine | RSS before load | RSS mean under load | RSS peak under load | VmRSS at end | VmHWM at end | CPU over the whole run |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var run in runs)
        {
            var samples = run.Phases.Where(p => p.Round > 0).SelectMany(p => p.RssSamplesKb).ToList();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {run.Engine} | {Mib(run.IdleRssKb)} | {Mib(samples.Count == 0 ? null : samples.Average())} | {Mib(samples.Count == 0 ? null : samples.Max())} | " +
                $"{Mib(run.UsageAtEnd?.RssKb)} | {Mib(run.UsageAtEnd?.PeakRssKb)} | {run.UsageAtEnd?.Cpu.TotalSeconds:F1} s |");
        }
    }

    public static void AppendAudit(StringBuilder text, List<EngineReadRun> runs)
    {
        text.AppendLine();
        text.AppendLine("### Audit trail of the reads");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"`GET /api/v1/audit-events?action={AuditCheck.ReadAction}&projectId=...` after the run, every page. Reads served: every 200 of the read route, warm-up and the check included. " +
            $"Reads audited: the sum of the count in each event's details (an event without one counts 1).");
        text.AppendLine();
        text.AppendLine("| engine | reads served | audit events | reads audited | count field | audited / served | waited for flushes |");
        text.AppendLine("|---|---:|---:|---:|---|---:|---:|");
        foreach (var run in runs.Where(r => r.Audit is not null))
        {
            var a = run.Audit!;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {run.Engine} | {a.Served:N0} | {a.Events:N0}{(a.Truncated ? " (stopped paging)" : "")} | {a.ReadsAudited:N0} | {(a.CountField is null ? "none" : $"details.{a.CountField}")} | " +
                $"{Verdict(a.Coverage.ToString("P2", CultureInfo.InvariantCulture), a.ReadsAudited == a.Served)} | {a.Waited.TotalSeconds:F1} s |");
        }
    }

    /// wrk's lines for the same requests, to check the in-process client's figures with another load generator.
    public static void AppendCrossCheck(StringBuilder text, EngineBenchOptions options, List<EngineReadRun> runs)
    {
        var wrk = FindOnPath("wrk");
        text.AppendLine();
        text.AppendLine("### Cross-check with wrk");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{(wrk is null ? "wrk is not on PATH here; with it installed, run" : $"With {wrk}, run")} the bench host " +
            $"(`{RateLimitOptions.PerCredentialVariable}=0 {PlatformBootstrap.AdminKeyVariable}=$PLATFORM_KEY dotnet bench/Plugboard.Bench.Host/bin/Release/net10.0/Plugboard.Bench.Host.dll`), " +
            $"seed a project and its connections, take an engine token (`POST /api/v1/engine-tokens`), then:");
        text.AppendLine("```sh");
        foreach (var endpoint in options.Phases)
        {
            var credential = endpoint switch
            {
                Endpoint.Bare or Endpoint.Direct => "",
                Endpoint.Floor or Endpoint.Read or Endpoint.ReadInherited or Endpoint.Proxy => "-H \"Authorization: Bearer $ENGINE_TOKEN\" ",
                _ => "-H \"Authorization: Bearer $PLATFORM_KEY\" ",
            };
            var path = LoadClient.PathAndQuery(endpoint, "EXTERNAL_ID", "PROJECT_ID")
                .Replace("EXTERNAL_ID", "$EXTERNAL_ID", StringComparison.Ordinal).Replace("PROJECT_ID", "$PROJECT_ID", StringComparison.Ordinal);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"wrk -t{Math.Max(1, Environment.ProcessorCount / 2)} -c{options.Concurrency} -d{options.PhaseSeconds}s --latency {credential}\"$API{path}\"   # {endpoint.Name()}");
        }
        text.AppendLine("```");
        if (runs.FirstOrDefault(r => r.Target is not null) is { } run)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"(API=http://127.0.0.1:PORT; this run's EXTERNAL_ID was {run.Target!.ExternalId}.)");
        }
    }

    public static void AppendProblems(StringBuilder text, IReadOnlyList<EngineReadRun> runs)
    {
        foreach (var run in runs.Where(r => r.ServerTail.Count > 0 || r.Phases.Any(p => p.FirstError is not null)))
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"### What went wrong on {run.Engine}");
            text.AppendLine();
            text.AppendLine("```");
            foreach (var phase in run.Phases.Where(p => p.FirstError is not null))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"round {phase.Round} {phase.Endpoint.Name()}: {phase.Errors:N0} errors, first: {phase.FirstError}");
            }
            if (run.ServerTail.Count > 0)
            {
                text.AppendLine("server output (last entries above debug level):");
                foreach (var line in run.ServerTail)
                {
                    text.AppendLine(line);
                }
            }
            text.AppendLine("```");
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
