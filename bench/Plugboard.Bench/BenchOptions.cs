using System.CommandLine;

namespace Plugboard.Bench;

/// The list and upsert suite's options (`./scripts/bench --help`): --rows 100000 --ops 3000 --engines sqlite,postgres --workers 1,4 --requests 200
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
    public const string Sqlite = BenchOptionKinds.Sqlite;
    public const string Postgres = BenchOptionKinds.Postgres;

    private static readonly Option<int> RowsOption = BenchOptionKinds.Positive("--rows", 100_000, "connections filled into the bench project");
    private static readonly Option<int> OpsOption = BenchOptionKinds.Positive("--ops", 3000, "upserts per worker count");
    private static readonly Option<int?> WarmupOpsOption = BenchOptionKinds.OptionalPositive("--warmup-ops", "upserts before measuring (default: a tenth of --ops, 1 to 200)");
    private static readonly Option<IReadOnlyList<int>> WorkersOption = BenchOptionKinds.PositiveList("--workers", "1,4", "concurrent upsert workers");
    private static readonly Option<int> RequestsOption = BenchOptionKinds.Positive("--requests", 200, "list requests per page measured");
    private static readonly Option<int> WarmupRequestsOption = BenchOptionKinds.Positive("--warmup-requests", 20, "list requests before measuring");
    private static readonly Option<int> PageSizeOption = BenchOptionKinds.Positive("--page-size", 100, "the list's limit");
    private static readonly Option<int> DeepPageOption = BenchOptionKinds.Positive("--deep-page", 1000, "the deep page measured");
    private static readonly Option<IReadOnlyList<string>> EnginesOption = BenchOptionKinds.Engines();
    private static readonly Option<bool> NoPlansOption = new("--no-plans") { Description = "do not print the query plans" };
    private static readonly Option<bool> NoBreakdownOption = new("--no-breakdown") { Description = "measure only the service and the plain insert, not each step of the upsert" };
    private static readonly Option<bool> NoWhatIfOption = new("--no-what-if") { Description = "do not try the what-if index on the bench database" };
    private static readonly Option<string?> ServerOption = BenchOptionKinds.Server();

    public static void AddTo(Command command)
    {
        foreach (var option in new Option[]
        {
            RowsOption, OpsOption, WarmupOpsOption, WorkersOption, RequestsOption, WarmupRequestsOption, PageSizeOption, DeepPageOption,
            EnginesOption, NoPlansOption, NoBreakdownOption, NoWhatIfOption, ServerOption,
        })
        {
            command.Add(option);
        }
    }

    public static BenchOptions From(ParseResult parse)
    {
        var ops = parse.GetValue(OpsOption);
        return new BenchOptions(
            Rows: parse.GetValue(RowsOption),
            Ops: ops,
            WarmupOps: parse.GetValue(WarmupOpsOption) ?? Math.Clamp(ops / 10, 1, 200),
            Workers: parse.GetRequiredValue(WorkersOption),
            Requests: parse.GetValue(RequestsOption),
            WarmupRequests: parse.GetValue(WarmupRequestsOption),
            PageSize: parse.GetValue(PageSizeOption),
            DeepPage: parse.GetValue(DeepPageOption),
            Engines: parse.GetRequiredValue(EnginesOption),
            ShowPlans: !parse.GetValue(NoPlansOption),
            Breakdown: !parse.GetValue(NoBreakdownOption),
            WhatIfIndex: !parse.GetValue(NoWhatIfOption),
            ServerDll: parse.GetValue(ServerOption));
    }

    /// The deep page measured: page <see cref="DeepPage"/>, or the last full page of a smaller fill.
    public int EffectiveDeepPage => Math.Max(1, Math.Min(DeepPage, Rows / PageSize));
}

internal sealed class UsageException(string message) : Exception(message);
