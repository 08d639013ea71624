using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Plugboard.Bench.Refresh;

/// The refresh run's markdown report: setup, the table against the issue's targets, then the
/// sections that explain it (seeding, provider calls, each server process, anything that went wrong).
internal static class RefreshReport
{
    public static string Render(RefreshBenchOptions options, IReadOnlyList<RefreshRun> runs, string? loadAtStart)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## Plugboard refresh bench, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Machine: {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSArchitecture}; " +
            $"load average at start {loadAtStart ?? "n/a"}, at end {Report.LoadAverage() ?? "n/a"}. The bench, the fake provider, the server processes and PostgreSQL share the machine.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Database: {runs.Select(r => r.Database).FirstOrDefault(d => d is not null) ?? "n/a"}, a fresh database per run.");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Setup: {options.Connections:N0} OAUTH2 connections with pre-claimed tokens (one provider client, refresh tokens rotate, so a second refresh of a connection gets invalid_grant), " +
            $"seeded through server 1's API with {options.SeedConcurrency} requests in flight (after {Calibration(runs)} of the same shape in another project, due only after the run, to time the seeding); {options.Servers} server process(es) on the one database, each running the refresh worker " +
            $"(interval {Seconds(options.IntervalSeconds)}, batch {options.BatchSize}, parallelism {options.Parallelism}, cooldown {Seconds(options.CooldownSeconds)}, margin {RefreshCluster.MarginSeconds} s). " +
            $"Due times spread evenly over {options.WindowSeconds} s; each token expires {RefreshCluster.MarginSeconds} s after it falls due. " +
            $"Failing calls are answered 500 and 429 (Retry-After: 1) in turn. Lag: first successful provider call − due time. Drain: last connection's first successful refresh − first due time (99 % drained: the 99th percentile's); refreshes/s: connections / drain.");
        text.AppendLine();
        foreach (var run in runs.Where(r => r.Error is not null))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- failure rate {Rate(run.FailureRate)}: FAILED: {run.Error}");
        }

        var measured = runs.Where(r => r.Figures is not null).Select(r => r.Figures!).ToList();
        text.AppendLine("| provider failures | refreshed | successful calls / connection (= 1.00) | provider calls / connection | refreshed before expiry | lag p50 | lag p99 | lag max | 99 % drained | drain | refreshes/s | ERROR (= 0) | invalid_grant (= 0) |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var f in measured)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {Rate(f.FailureRate)} | {Check(f.Refreshed, f.Connections)}{(f.Drained ? "" : " (gave up waiting)")} | {Verdict(f.SuccessfulCallsPerConnection.ToString("F2", CultureInfo.InvariantCulture), f.SuccessfulCalls == f.Connections)} | " +
                $"{f.CallsPerConnection:F2} | {Check(f.RefreshedBeforeExpiry, f.Connections)} | {Seconds(f.Lag.P50)} | {Seconds(f.Lag.P99)} | {Seconds(f.Lag.Max)} | " +
                $"{Seconds(f.Drain99?.TotalSeconds ?? double.NaN)} | {Seconds(f.Drain.TotalSeconds)} | {f.Throughput:F0} | {Verdict(f.Error.ToString("N0", CultureInfo.InvariantCulture), f.Error == 0)} | {Verdict(f.InvalidGrant.ToString("N0", CultureInfo.InvariantCulture), f.InvalidGrant == 0)} |");
        }
        AppendSeeding(text, measured);
        AppendCalls(text, measured);
        AppendProcesses(text, measured);
        AppendAnomalies(text, runs);
        return text.ToString();
    }

    private static void AppendSeeding(StringBuilder text, List<RefreshFigures> measured)
    {
        text.AppendLine();
        text.AppendLine("### Seeding and final state");
        text.AppendLine();
        text.AppendLine("| provider failures | seed time | upserts/s | window opened after | seeded after due | ACTIVE | ERROR | other / missing | new expiry stored |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var f in measured)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {Rate(f.FailureRate)} | {Seconds(f.Seed.SeedTime.TotalSeconds)} | {f.Seed.SeedRate:F0} | {Seconds(f.Seed.Lead.TotalSeconds)} | {f.Seed.SeededAfterDue:N0} | " +
                $"{f.Active:N0} | {f.Error:N0} | {f.OtherStatus:N0} | {Check(f.StoredNewTokens, f.Connections)} |");
        }
    }

    private static void AppendCalls(StringBuilder text, List<RefreshFigures> measured)
    {
        text.AppendLine();
        text.AppendLine("### Provider refresh calls by answer");
        text.AppendLine();
        text.AppendLine("| provider failures | calls | answers | connections refreshed twice or more | calls for no seeded connection |");
        text.AppendLine("|---:|---:|---|---:|---:|");
        foreach (var f in measured)
        {
            var answers = string.Join(", ", f.CallOutcomes.Select(o => $"{o.Key}: {o.Value:N0}"));
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {Rate(f.FailureRate)} | {f.RefreshCalls + f.UnattributedCalls:N0} | {answers} | {f.RefreshedTwiceOrMore:N0} | {f.UnattributedCalls:N0} |");
        }
    }

    private static void AppendProcesses(StringBuilder text, List<RefreshFigures> measured)
    {
        text.AppendLine();
        text.AppendLine("### Server processes");
        text.AppendLine();
        text.AppendLine("From each process's log since start-up and /proc at the end of the run.");
        text.AppendLine();
        text.AppendLine("| provider failures | process | refreshes stored | transient failures | marked ERROR | newer credentials won | errors logged | RSS at end | peak RSS | CPU |");
        text.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var f in measured)
        {
            foreach (var r in f.Replicas)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {Rate(f.FailureRate)} | {r.Usage.Name} | {r.Refreshed:N0} | {r.TransientFailures:N0} | {r.MarkedError:N0} | {r.NewerCredentialsWon:N0} | {r.ErrorEntries:N0} | " +
                    $"{Mib(r.Usage.RssKb)} | {Mib(r.Usage.PeakRssKb)} | {Seconds(r.Usage.Cpu.TotalSeconds)} |");
            }
        }
    }

    private static void AppendAnomalies(StringBuilder text, IReadOnlyList<RefreshRun> runs)
    {
        foreach (var run in runs.Where(r => r.Figures?.Anomalies.Count > 0 || r.ServerTails.Count > 0))
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"### What went wrong at failure rate {Rate(run.FailureRate)}");
            text.AppendLine();
            text.AppendLine("```");
            foreach (var line in run.Figures?.Anomalies ?? [])
            {
                text.AppendLine(line);
            }
            if (run.ServerTails.Count > 0)
            {
                text.AppendLine("server output (last entries above debug level):");
                foreach (var line in run.ServerTails)
                {
                    text.AppendLine(line);
                }
            }
            text.AppendLine("```");
        }
    }

    private static string Calibration(IReadOnlyList<RefreshRun> runs) =>
        runs.FirstOrDefault(r => r.Figures is not null)?.Figures!.Seed.CalibrationCount * 2 is { } count
            ? count.ToString("N0", CultureInfo.InvariantCulture)
            : "a few";

    private static string Rate(double rate) => rate.ToString("P0", CultureInfo.InvariantCulture);

    private static string Seconds(double seconds) => double.IsNaN(seconds) ? "n/a" : seconds.ToString("F1", CultureInfo.InvariantCulture) + " s";

    private static string Mib(long? kb) => kb is { } k ? (k / 1024.0).ToString("F0", CultureInfo.InvariantCulture) + " MiB" : "n/a";

    private static string Check(int count, int of) => Verdict($"{count.ToString("N0", CultureInfo.InvariantCulture)} / {of.ToString("N0", CultureInfo.InvariantCulture)}", count == of);

    private static string Verdict(string value, bool met) => value + (met ? " ✅" : " ❌");
}
