using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Plugboard.Bench;

/// The markdown report on stdout: the machine and data, the run's table against the issue's
/// targets, then the sections that explain it.
internal static class Report
{
    public const double UpsertTarget = 0.90;
    public const double ListTarget = 1.5;
    public const double TenantFilterTarget = 2;

    public static string Render(BenchOptions options, IReadOnlyList<EngineRun> runs, string? loadAtStart)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## Plugboard bench, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Machine: {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSArchitecture}; " +
            $"load average at start {loadAtStart ?? "n/a"}, at end {LoadAverage() ?? "n/a"} (other work on the machine skews the numbers).");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Upserts: {options.Ops:N0} of each kind per worker count (after {options.WarmupOps:N0} warm-up each), taking turns in {UpsertBench.Rounds(options.Ops)} rounds. " +
            $"List: limit={options.PageSize}, {options.Requests} requests per page (after {options.WarmupRequests} warm-up), sequential, alternating pages.");
        text.AppendLine();
        foreach (var run in runs)
        {
            text.AppendLine(run.Error is null
                ? $"- {run.Engine}: {run.Description}; {run.FilledRows:N0} connections filled in {run.FillTime.TotalSeconds:F1} s; " +
                  $"list timed over {run.List!.Result.Rows:N0} connections in the project; {run.FinalRows:N0} after the upserts."
                : $"- {run.Engine}: FAILED: {run.Error}");
        }
        text.AppendLine();
        AppendMainTable(text, options, runs);
        ReportSections.AppendTenantFilter(text, runs);
        ReportSections.AppendBreakdown(text, runs);
        ReportSections.AppendWhatIf(text, options, runs);
        ReportSections.AppendPlans(text, runs);
        return text.ToString();
    }

    private static void AppendMainTable(StringBuilder text, BenchOptions options, IReadOnlyList<EngineRun> runs)
    {
        var deep = options.EffectiveDeepPage.ToString("N0", CultureInfo.InvariantCulture);
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| engine | workers | service upsert ops/s | plain EF insert ops/s | ratio (≥ {UpsertTarget:F2}) | upsert p99 | plain insert p99 | list p50 page 1 | list p99 page 1 | list p50 page {deep} | list p99 page {deep} | p50 ratio (≤ {ListTarget:F1}) |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var run in runs.Where(r => r.Error is null))
        {
            for (var i = 0; i < Math.Max(1, run.Upserts.Count); i++)
            {
                var upsert = i < run.Upserts.Count ? run.Upserts[i] : null;
                string[] upsertCells = upsert is null
                    ? ["", "", "", "", "", ""]
                    : [upsert.Workers.ToString(CultureInfo.InvariantCulture), Number(upsert.Service), Number(upsert.Plain), Verdict(upsert.Ratio, upsert.Ratio >= UpsertTarget),
                        Ms(upsert.ServiceP99Ms), Ms(upsert.PlainP99Ms)];
                var listCells = i == 0 ? ListCells(run.List!.Result) : ["", "", "", "", ""];
                text.AppendLine($"| {run.Engine} | {string.Join(" | ", upsertCells.Concat(listCells))} |");
            }
        }
    }

    public static string[] ListCells(ListResult list) =>
    [
        Ms(list.FirstPage.P50Ms), Ms(list.FirstPage.P99Ms), Ms(list.DeepPageLatency.P50Ms), Ms(list.DeepPageLatency.P99Ms),
        Verdict(list.P50Ratio, list.P50Ratio <= ListTarget),
    ];

    /// The 1/5/15-minute load averages, where the OS tells them.
    public static string? LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;

    public static string Number(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Ms(double value) => value.ToString("F2", CultureInfo.InvariantCulture) + " ms";

    public static string Verdict(double ratio, bool met) => ratio.ToString("F3", CultureInfo.InvariantCulture) + (met ? " ✅" : " ❌");
}
