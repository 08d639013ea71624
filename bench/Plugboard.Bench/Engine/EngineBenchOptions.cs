using System.CommandLine;

namespace Plugboard.Bench.Engine;

/// Options after `engine` (`./scripts/bench engine --help`): --engines sqlite,postgres --phases bare,floor,read,readinherited,list10,list100,list10fresh,direct,proxy
/// --concurrency 32 --phase-seconds 10 --rounds 3 --warmup-seconds 5 --warmup-requests 20000 --connections 1000 --flow-share 0.2
/// --server path/to/Plugboard.Bench.Host.dll
internal sealed record EngineBenchOptions(
    IReadOnlyList<string> Engines,
    IReadOnlyList<Endpoint> Phases,
    int Concurrency,
    int PhaseSeconds,
    int Rounds,
    int WarmupSeconds,
    int WarmupRequests,
    int Connections,
    double FlowShare,
    string? ServerDll)
{
    /// The warm-up goes on past --warmup-seconds until each endpoint has served --warmup-requests (the JIT's
    /// tiering wants calls, not seconds), but not past this.
    public static readonly TimeSpan MaxWarmup = TimeSpan.FromSeconds(60);

    /// Long enough for the run (warm-up, phases, seeding, the audit check) with room to spare.
    public int TokenTtlSeconds => (int)Math.Min(86_400, Math.Max(WarmupSeconds, MaxWarmup.TotalSeconds) + Phases.Count * Rounds * PhaseSeconds + 1800);

    private static readonly Option<IReadOnlyList<string>> EnginesOption = BenchOptionKinds.Engines();
    private static readonly Option<IReadOnlyList<Endpoint>> PhasesOption = new("--phases")
    {
        Description = $"endpoints measured, comma-separated, in the order of odd rounds (even rounds reverse it): {string.Join(", ", Endpoints.All.Select(e => e.Name()))}",
        DefaultValueFactory = _ => Endpoints.All,
        CustomParser = ParsePhases,
    };
    private static readonly Option<int> ConcurrencyOption = BenchOptionKinds.Positive("--concurrency", 32, "closed-loop workers (the issue's goals are at 32)");
    private static readonly Option<int> PhaseSecondsOption = BenchOptionKinds.Positive("--phase-seconds", 10, "length of one measured phase");
    private static readonly Option<int> RoundsOption = BenchOptionKinds.Positive("--rounds", 3, "ABBA rounds: each phase once per round, the order reversed every other round");
    private static readonly Option<int> WarmupSecondsOption = BenchOptionKinds.Positive("--warmup-seconds", 5, "warm-up of each endpoint");
    private static readonly Option<int> WarmupRequestsOption = BenchOptionKinds.Positive("--warmup-requests", 20_000, "requests each endpoint serves in its warm-up, at least");
    private static readonly Option<int> ConnectionsOption = BenchOptionKinds.Positive("--connections", 1000, "filler connections beside the one read (half the project's own, half globals shared with it)");
    private static readonly Option<double> FlowShareOption = BenchOptionKinds.Number("--flow-share", 0.2, 0, 1, "share of the filler connections used by the project's flows");
    private static readonly Option<string?> ServerOption = BenchOptionKinds.Server("Plugboard.Bench.Host.dll");

    public static void AddTo(Command command)
    {
        foreach (var option in new Option[]
        {
            EnginesOption, PhasesOption, ConcurrencyOption, PhaseSecondsOption, RoundsOption, WarmupSecondsOption, WarmupRequestsOption,
            ConnectionsOption, FlowShareOption, ServerOption,
        })
        {
            command.Add(option);
        }
    }

    public static EngineBenchOptions From(ParseResult parse) => new(
        Engines: parse.GetRequiredValue(EnginesOption),
        Phases: parse.GetRequiredValue(PhasesOption),
        Concurrency: parse.GetValue(ConcurrencyOption),
        PhaseSeconds: parse.GetValue(PhaseSecondsOption),
        Rounds: parse.GetValue(RoundsOption),
        WarmupSeconds: parse.GetValue(WarmupSecondsOption),
        WarmupRequests: parse.GetValue(WarmupRequestsOption),
        Connections: parse.GetValue(ConnectionsOption),
        FlowShare: parse.GetValue(FlowShareOption),
        ServerDll: parse.GetValue(ServerOption));

    private static IReadOnlyList<Endpoint> ParsePhases(System.CommandLine.Parsing.ArgumentResult r)
    {
        var names = r.Tokens.Single().Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var phases = names.Select(Endpoints.Parse).ToList();
        if (phases.Count == 0 || phases.Any(p => p is null))
        {
            r.AddError($"--phases takes one or more of {string.Join(", ", Endpoints.All.Select(e => e.Name()))}, not '{r.Tokens.Single().Value}'");
            return [];
        }
        return [.. phases.Select(p => p!.Value).Distinct()];
    }
}
