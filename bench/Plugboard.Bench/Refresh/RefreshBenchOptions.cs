using System.CommandLine;

namespace Plugboard.Bench.Refresh;

/// Options after `refresh` (`./scripts/bench refresh --help`): --connections 10000 --servers 3 --failure-rate 0,0.2 --parallelism 8
/// --batch-size 200 --interval 1 --cooldown 2 --window 30 --seed-concurrency 16 --timeout 600
/// --lead 40 --server path/to/Plugboard.Server.dll
internal sealed record RefreshBenchOptions(
    int Connections,
    int Servers,
    IReadOnlyList<double> FailureRates,
    int Parallelism,
    int BatchSize,
    double IntervalSeconds,
    double CooldownSeconds,
    int WindowSeconds,
    int SeedConcurrency,
    int TimeoutSeconds,
    int? LeadSeconds,
    string? ServerDll)
{
    private static readonly Option<int> ConnectionsOption = BenchOptionKinds.Positive("--connections", 10_000, "OAuth2 connections falling due in the window");
    private static readonly Option<int> ServersOption = BenchOptionKinds.Positive("--servers", 3, "server processes on the one database");
    private static readonly Option<IReadOnlyList<double>> FailureRatesOption = BenchOptionKinds.NumberList("--failure-rate", "0,0.2", 0, 1, "share of token calls the fake provider fails, one run each");
    private static readonly Option<int> ParallelismOption = BenchOptionKinds.Positive("--parallelism", 8, "refreshes at once per process");
    private static readonly Option<int> BatchSizeOption = BenchOptionKinds.Positive("--batch-size", 200, "the worker's batch");
    private static readonly Option<double> IntervalOption = BenchOptionKinds.Number("--interval", 1, 0.1, 3600, "seconds between the worker's scans");
    // The server's default is 30 s; short here so transient failures are retried within the run.
    private static readonly Option<double> CooldownOption = BenchOptionKinds.Number("--cooldown", 2, 0.1, 3600, "seconds of back-off after a transient failure");
    private static readonly Option<int> WindowOption = BenchOptionKinds.Positive("--window", 30, "seconds over which the connections fall due");
    private static readonly Option<int> SeedConcurrencyOption = BenchOptionKinds.Positive("--seed-concurrency", 16, "seeding requests in flight");
    private static readonly Option<int> TimeoutOption = BenchOptionKinds.Positive("--timeout", 600, "seconds before a run gives up");
    private static readonly Option<int?> LeadOption = BenchOptionKinds.OptionalPositive("--lead", "seconds between the end of seeding and the first due time (default: from the seeding rate)");
    private static readonly Option<string?> ServerOption = BenchOptionKinds.Server();

    public static void AddTo(Command command)
    {
        foreach (var option in new Option[]
        {
            ConnectionsOption, ServersOption, FailureRatesOption, ParallelismOption, BatchSizeOption, IntervalOption, CooldownOption,
            WindowOption, SeedConcurrencyOption, TimeoutOption, LeadOption, ServerOption,
        })
        {
            command.Add(option);
        }
    }

    public static RefreshBenchOptions From(ParseResult parse) => new(
        Connections: parse.GetValue(ConnectionsOption),
        Servers: parse.GetValue(ServersOption),
        FailureRates: parse.GetRequiredValue(FailureRatesOption),
        Parallelism: parse.GetValue(ParallelismOption),
        BatchSize: parse.GetValue(BatchSizeOption),
        IntervalSeconds: parse.GetValue(IntervalOption),
        CooldownSeconds: parse.GetValue(CooldownOption),
        WindowSeconds: parse.GetValue(WindowOption),
        SeedConcurrency: parse.GetValue(SeedConcurrencyOption),
        TimeoutSeconds: parse.GetValue(TimeoutOption),
        LeadSeconds: parse.GetValue(LeadOption),
        ServerDll: parse.GetValue(ServerOption));
}
