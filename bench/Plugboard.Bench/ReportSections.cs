using System.Globalization;
using System.Text;

namespace Plugboard.Bench;

/// The parts of the report that explain the main table.
internal static class ReportSections
{
    /// Seed 003's tenants: page 1 filtered by `metadata.tenantId`, against the same page unfiltered, all read from the database.
    public static void AppendTenantFilter(StringBuilder text, IReadOnlyList<EngineRun> runs)
    {
        var measured = runs.Where(r => r.Error is null && r.List is not null).ToList();
        if (measured.Count == 0)
        {
            return;
        }
        text.AppendLine();
        text.AppendLine("### The list filtered by tenant (`metadata.tenantId`)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Page 1 read from the database on every request (an unused `fresh` parameter defeats the server's remembered pages). The filled rows belong to " +
            $"{BenchRows.Tenants} tenants ({BenchRows.CommonTenant}: 1 % of them) and {BenchRows.RareTenant} holds one row in 25,000. Goal: a filtered page within " +
            $"{Report.TenantFilterTarget:F0}× the unfiltered one.");
        text.AppendLine();
        text.AppendLine("| engine | rows | unfiltered p50 | p99 | tenant p50 | p99 | ratio | rare tenant p50 | p99 | ratio |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var run in measured)
        {
            var (list, t) = (run.List!.Result, run.List.Result.Tenants);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {run.Engine} | {list.Rows:N0} | {Report.Ms(t.Unfiltered.P50Ms)} | {Report.Ms(t.Unfiltered.P99Ms)} | {Report.Ms(t.Tenant.P50Ms)} | " +
                $"{Report.Ms(t.Tenant.P99Ms)} | {Report.Verdict(t.TenantRatio, t.TenantRatio <= Report.TenantFilterTarget)} | {Report.Ms(t.RareTenant.P50Ms)} | " +
                $"{Report.Ms(t.RareTenant.P99Ms)} | {Report.Verdict(t.RareRatio, t.RareRatio <= Report.TenantFilterTarget)} |");
        }
    }

    /// Each step of the service added alone to the plain insert; ms per operation is what adds up.
    public static void AppendBreakdown(StringBuilder text, IReadOnlyList<EngineRun> runs)
    {
        var names = runs.SelectMany(r => r.Upserts).SelectMany(u => u.OpsPerSecond.Keys).Distinct().ToList();
        if (names.Count <= 2)
        {
            return;
        }
        names = [.. names.Where(n => n != WriteOperations.Service.Name), WriteOperations.Service.Name];
        text.AppendLine();
        text.AppendLine("### Where the upsert's time goes");
        text.AppendLine();
        text.AppendLine("ops/s (ms per op); each \"plain + …\" is the plain insert plus one step of the service.");
        text.AppendLine();
        text.AppendLine($"| engine | workers | {string.Join(" | ", names)} |");
        text.AppendLine($"|---|---:|{string.Concat(names.Select(_ => "---:|"))}");
        foreach (var run in runs)
        {
            foreach (var upsert in run.Upserts)
            {
                var cells = names.Select(n => upsert.OpsPerSecond.TryGetValue(n, out var ops)
                    ? $"{Report.Number(ops)} ({(1000 / ops).ToString("F2", CultureInfo.InvariantCulture)})"
                    : "");
                text.AppendLine(CultureInfo.InvariantCulture, $"| {run.Engine} | {upsert.Workers} | {string.Join(" | ", cells)} |");
            }
        }
    }

    public static void AppendWhatIf(StringBuilder text, BenchOptions options, IReadOnlyList<EngineRun> runs)
    {
        var measured = runs.Where(r => r.ListWithIndex is not null).ToList();
        if (measured.Count == 0)
        {
            return;
        }
        var deep = options.EffectiveDeepPage.ToString("N0", CultureInfo.InvariantCulture);
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"### What if: the list with {WhatIfIndex.Description}");
        text.AppendLine();
        text.AppendLine("Created on the bench database only (not in the server's migrations), measured the same way, then dropped before the upserts.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| engine | list p50 page 1 | list p99 page 1 | list p50 page {deep} | list p99 page {deep} | p50 ratio (≤ {Report.ListTarget:F1}) |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var run in measured)
        {
            text.AppendLine($"| {run.Engine} + index | {string.Join(" | ", Report.ListCells(run.ListWithIndex!.Result))} |");
        }
    }

    public static void AppendPlans(StringBuilder text, IReadOnlyList<EngineRun> runs)
    {
        var phases = runs
            .SelectMany(r => new[] { (Title: r.Engine, Phase: r.List), (Title: $"{r.Engine} + index", Phase: r.ListWithIndex) })
            .Where(p => p.Phase?.Plans is not null)
            .ToList();
        if (phases.Count == 0)
        {
            return;
        }
        text.AppendLine();
        text.AppendLine("### The list query's plans");
        foreach (var (title, phase) in phases)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"{title}:");
            text.AppendLine("```");
            text.Append(phase!.Plans);
            text.AppendLine("```");
        }
    }
}
