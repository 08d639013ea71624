using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Plugboard.Bench.Engine;

/// The engine run's markdown report: setup, the table per engine and endpoint, the ratios and the issue's
/// goals, then where the CPU went, each phase, memory, the audit trail, the wrk lines and anything that went wrong.
internal static class EngineReport
{
    public static string Render(EngineBenchOptions options, IReadOnlyList<EngineReadRun> runs, string? loadAtStart)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## Plugboard engine bench, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine();
        AppendSetup(text, options, loadAtStart);
        foreach (var run in runs)
        {
            text.AppendLine(run.Error is null
                ? $"- {run.Engine}: {run.Description}; {run.Target!.Fillers:N0} filler connections seeded through the API in {run.Target.FillTime.TotalSeconds:F1} s, " +
                  $"{run.Target.Flows.Flows:N0} flows using {run.Target.Flows.ConnectionsUsed:N0} of the project's {run.Target.Listed:N0} connections; database CPU: {DatabaseSource(run)}."
                : $"- {run.Engine}: FAILED: {run.Error}");
        }
        text.AppendLine();
        var measured = runs.Where(r => r.Error is null).ToList();
        AppendMain(text, measured);
        AppendGoals(text, options, measured);
        EngineReportPhases.AppendCpu(text, measured);
        EngineReportPhases.AppendRounds(text, measured);
        EngineReportSections.AppendMemory(text, measured);
        EngineReportSections.AppendAudit(text, measured);
        EngineReportSections.AppendCrossCheck(text, options, measured);
        EngineReportSections.AppendProblems(text, runs);
        return text.ToString();
    }

    private static void AppendSetup(StringBuilder text, EngineBenchOptions options, string? loadAtStart)
    {
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Machine: {Environment.ProcessorCount} logical cores (nproc), {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.FrameworkDescription}; " +
            $"load average at start {loadAtStart ?? "n/a"}, at end {Report.LoadAverage() ?? "n/a"}. The load generator, the server process (and PostgreSQL) share these cores.");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Load: closed loop on 127.0.0.1, {options.Concurrency} workers on one SocketsHttpHandler (keep-alive, ≤ {options.Concurrency} connections), " +
            $"warm-up in 1 s slices on each endpoint in turn until {options.WarmupSeconds} s and {options.WarmupRequests:N0} requests per endpoint (at most {EngineBenchOptions.MaxWarmup.TotalSeconds:F0} s), " +
            $"then {options.Rounds} round(s) of {options.PhaseSeconds} s per endpoint, ABBA order ({string.Join(", ", options.Phases.Select(e => e.Name()))} in odd rounds, reversed in even ones). " +
            $"A request counts when its whole body is read; anything but 200 is an error. Rate limits per credential and per engine token are off in the bench host.");
        text.AppendLine(
            "Read: `GET /api/v1/worker/app-connections/{externalId}` (engine token) of one non-expiring CUSTOM_AUTH global connection shared with the token's project and used by one of its flows " +
            "(checked: answers the seeded props). Floor: `GET /api/v1/worker/floor/app-connections/{externalId}`, the same token check and row read, no decryption, refresh check or audit " +
            "(checked: no value). Bare: `GET /bench/bare/app-connections/{externalId}`, a constant connection of the same shape, no authentication, no database: the machine's limit. " +
            "ReadInherited: the same read of a project connection made from a CUSTOMER connection definition, its props merged with the definition's global values (checked: the merged props). " +
            "Floor and bare are mapped only by the bench host (bench/Plugboard.Bench.Host), never by the server.");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"List10, list100: `GET /api/v1/app-connections?projectId=...&limit=10` (or 100) with the platform key, the first page of the project's {options.Connections + 1:N0} connections " +
            $"(half its own, half globals shared with it, a quarter of all shared with a second project too; {options.FlowShare:P0} of them used by the project's flows, 3 per flow, half the flows ENABLED), " +
            $"so each row's flowIds and projectIds are computed as in production (checked: a full page, some rows with flowIds, some with two projectIds). " +
            $"The server remembers a page for 500 ms while nothing is written: list10 and list100 ask the same page again, as a polling console does; " +
            $"list10fresh adds `&fresh=<n>`, different on every request, so every page is read from the database.");
        text.AppendLine(
            "Direct: `GET /bench/upstream/invoices?limit=5`, the bench host's stand-in third-party API (a constant JSON of 5 invoices, no authentication). " +
            "Proxy: the same call through `GET /api/v1/worker/proxy/{externalId}/invoices?limit=5` (engine token) on a SECRET_TEXT connection whose definition's proxyBaseUrl " +
            "is that API: resolved, its credential injected, sent over the SSRF-guarded outbound client to 127.0.0.1, the answer streamed back (checked: the same body). " +
            "Both are served by the one server process, so the proxy's figures include the stand-in API's own cost once more.");
        text.AppendLine();
    }

    private static void AppendMain(StringBuilder text, List<EngineReadRun> runs)
    {
        text.AppendLine("CPU per request: the server process's, and the database's (the PostgreSQL cluster's processes; SQLite runs inside the server, so its time is in the server column), from /proc over the measured phases.");
        text.AppendLine();
        text.AppendLine("| engine | endpoint | requests/s | p50 | p99 | p99.9 | max | errors | server CPU / request | database CPU / request | server + database | server RSS peak |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var run in runs)
        {
            foreach (var f in run.Measured.Select(run.Figures))
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {run.Engine} | {f.Endpoint.Name()} | {f.RequestsPerSecond:N0} | {Ms(f.Latency.QuantileMs(0.5))} | {Ms(f.Latency.QuantileMs(0.99))} | " +
                    $"{Ms(f.Latency.QuantileMs(0.999))} | {Ms(f.Latency.MaxMs)} | {Verdict(f.Errors.ToString("N0", CultureInfo.InvariantCulture), f.Errors == 0)} | " +
                    $"{f.ServerCpuMicrosPerRequest:F0} µs | {DatabaseCpu(run, f)} | {f.TotalCpuMicrosPerRequest:F0} µs | {Mib(f.PeakRssKb)} |");
            }
        }
        text.AppendLine();
        foreach (var run in runs)
        {
            var ratios = new[] { (Endpoint.Read, Endpoint.Bare), (Endpoint.Read, Endpoint.Floor), (Endpoint.Floor, Endpoint.Bare), (Endpoint.List10, Endpoint.Bare), (Endpoint.ReadInherited, Endpoint.Read), (Endpoint.Proxy, Endpoint.Direct) }
                .Where(pair => run.Ratio(pair.Item1, pair.Item2) is not null)
                .Select(pair => string.Create(CultureInfo.InvariantCulture, $"{pair.Item1.Name()} ÷ {pair.Item2.Name()} {run.Ratio(pair.Item1, pair.Item2):F3}"))
                .ToList();
            if (ratios.Count > 0)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {run.Engine}, requests/s: {string.Join(", ", ratios)}.");
            }
        }
    }

    private static void AppendGoals(StringBuilder text, EngineBenchOptions options, List<EngineReadRun> runs)
    {
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"### The issue's goals (at c{EngineGoals.Concurrency})");
        text.AppendLine();
        if (options.Concurrency != EngineGoals.Concurrency)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"This run is at c{options.Concurrency}, not c{EngineGoals.Concurrency}: the verdicts below are indicative only.");
            text.AppendLine();
        }
        foreach (var run in runs)
        {
            foreach (var goal in EngineGoals.Of(run))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- {run.Engine}: {goal.Line}");
            }
        }
    }

    /// Where a run's database CPU comes from, in words.
    internal static string DatabaseSource(EngineReadRun run) => run.Database switch
    {
        { InProcess: true } => "SQLite, in-process: inside the server's CPU",
        { Measured: true } d => $"the PostgreSQL cluster's processes (postmaster {d.PostmasterPid} and its children)",
        _ => "PostgreSQL not visible in /proc (another machine?): not measured",
    };

    internal static string DatabaseCpu(EngineReadRun run, EndpointFigures f) => run.Database switch
    {
        { InProcess: true } => "in server (SQLite)",
        { Measured: true } => string.Create(CultureInfo.InvariantCulture, $"{f.PostgresCpuMicrosPerRequest:F0} µs"),
        _ => "n/a",
    };

    internal static string Ms(double value) => double.IsNaN(value) ? "n/a" : value.ToString("F2", CultureInfo.InvariantCulture) + " ms";

    internal static string Mib(double? kb) => kb is { } k ? (k / 1024.0).ToString("F0", CultureInfo.InvariantCulture) + " MiB" : "n/a";

    internal static string Verdict(string value, bool met) => value + (met ? " ✅" : " ❌");
}
