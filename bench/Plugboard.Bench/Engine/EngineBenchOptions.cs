using System.CommandLine;

namespace Plugboard.Bench.Engine;

/// Options after `engine` (`./scripts/bench engine --help`): --engines sqlite,postgres --concurrency 32 --phase-seconds 10 --rounds 2
/// --warmup-seconds 5 --warmup-requests 20000 --connections 1000 --server path/to/Plugboard.Bench.Host.dll
internal sealed record EngineBenchOptions(
    IReadOnlyList<string> Engines,
    int Concurrency,
    int PhaseSeconds,
    int Rounds,
    int WarmupSeconds,
    int WarmupRequests,
    int Connections,
    string? ServerDll)
{
    /// The target: the engine read serves at least this share of the floor's requests/s.
    public const double Target = 0.8;

    /// The warm-up goes on past --warmup-seconds until each endpoint has served --warmup-requests (the JIT's
    /// tiering wants calls, not seconds), but not past this.
    public static readonly TimeSpan MaxWarmup = TimeSpan.FromSeconds(60);

    /// Long enough for the run (warm-up, phases, seeding, the audit check) with room to spare.
    public int TokenTtlSeconds => (int)Math.Min(86_400, Math.Max(WarmupSeconds, MaxWarmup.TotalSeconds) + 2 * Rounds * PhaseSeconds + 1800);

    private static readonly Option<IReadOnlyList<string>> EnginesOption = BenchOptionKinds.Engines();
    private static readonly Option<int> ConcurrencyOption = BenchOptionKinds.Positive("--concurrency", 32, "closed-loop workers");
    private static readonly Option<int> PhaseSecondsOption = BenchOptionKinds.Positive("--phase-seconds", 10, "length of one measured phase");
    private static readonly Option<int> RoundsOption = BenchOptionKinds.Positive("--rounds", 2, "ABBA rounds of bare, floor and read phases");
    private static readonly Option<int> WarmupSecondsOption = BenchOptionKinds.Positive("--warmup-seconds", 5, "warm-up of each endpoint");
    private static readonly Option<int> WarmupRequestsOption = BenchOptionKinds.Positive("--warmup-requests", 20_000, "requests each endpoint serves in its warm-up, at least");
    private static readonly Option<int> ConnectionsOption = BenchOptionKinds.Positive("--connections", 1000, "filler connections beside the one read");
    private static readonly Option<string?> ServerOption = BenchOptionKinds.Server("Plugboard.Bench.Host.dll");

    public static void AddTo(Command command)
    {
        foreach (var option in new Option[]
        {
            EnginesOption, ConcurrencyOption, PhaseSecondsOption, RoundsOption, WarmupSecondsOption, WarmupRequestsOption, ConnectionsOption, ServerOption,
        })
        {
            command.Add(option);
        }
    }

    public static EngineBenchOptions From(ParseResult parse) => new(
        Engines: parse.GetRequiredValue(EnginesOption),
        Concurrency: parse.GetValue(ConcurrencyOption),
        PhaseSeconds: parse.GetValue(PhaseSecondsOption),
        Rounds: parse.GetValue(RoundsOption),
        WarmupSeconds: parse.GetValue(WarmupSecondsOption),
        WarmupRequests: parse.GetValue(WarmupRequestsOption),
        Connections: parse.GetValue(ConnectionsOption),
        ServerDll: parse.GetValue(ServerOption));
}
