using System.Diagnostics;
using Plugboard.Bench.Refresh;

namespace Plugboard.Bench.Engine;

/// One engine from an empty database to its figures: seed, check every endpoint's answer, warm up (one-second
/// slices on each endpoint in turn), then the phases in turn (ABBA: --phases' order in odd rounds, reversed in
/// even ones, so a drift in the machine's speed weighs on all alike), then the audit trail of the reads.
internal sealed record EngineReadRun(
    string Engine,
    string? Description,
    DatabaseProcesses? Database,
    EngineTarget? Target,
    IReadOnlyList<Endpoint> Measured,
    IReadOnlyList<PhaseResult> Phases,
    long? IdleRssKb,
    ProcessUsage? UsageAtEnd,
    AuditFigures? Audit,
    IReadOnlyList<string> ServerTail,
    string? Error)
{
    /// ReadCheck's reads before the load: the read and the inherited read, both audited like any other.
    private const int VerificationReads = 2;

    private static readonly TimeSpan WarmupSlice = TimeSpan.FromSeconds(1);

    public EndpointFigures Figures(Endpoint endpoint) => EndpointFigures.Of(endpoint, Phases.Where(p => p.Round > 0));
    public EndpointFigures Warmup(Endpoint endpoint) => EndpointFigures.Of(endpoint, Phases.Where(p => p.Round == 0));
    public bool Has(Endpoint endpoint) => Measured.Contains(endpoint);

    /// One endpoint's requests/s against another's, when both were measured.
    public double? Ratio(Endpoint endpoint, Endpoint against) => Has(endpoint) && Has(against)
        ? Figures(endpoint).RequestsPerSecond / Figures(against).RequestsPerSecond
        : null;

    public bool Clean => Measured.All(e => Figures(e).Errors == 0);

    public static async Task<EngineReadRun> RunAsync(string engine, EngineBenchOptions options, string serverDll, CancellationToken ct)
    {
        Progress.Note($"{engine}: fresh database, one bench host process (the server with the floor and bare routes)");
        EngineServer? server = null;
        var phases = new List<PhaseResult>();
        try
        {
            server = await EngineServer.StartAsync(engine, serverDll, ct);
            using var admin = BenchApi.Client(server.Process.BaseAddress, server.AdminKey);
            Progress.Note($"{engine}: {server.Description}; seeding {options.Connections:N0} filler connections, the target and flows");
            var target = await EngineSeeder.SeedAsync(admin, options, ct);

            using var client = new LoadClient(server.Process.BaseAddress, target, server.AdminKey, options.Concurrency);
            await ReadCheck.VerifyAsync(client, target, ct);
            await ListCheck.VerifyAsync(client, target, ct);
            var idleRss = server.Process.Usage().RssKb;

            Progress.Note($"{engine}: warm-up, at least {options.WarmupSeconds} s and {options.WarmupRequests:N0} requests on each endpoint, {options.Concurrency} workers");
            await WarmUpAsync(client, server.Process, server.Database, options, phases, ct);

            for (var round = 1; round <= options.Rounds; round++)
            {
                foreach (var endpoint in round % 2 == 1 ? options.Phases : options.Phases.Reverse())
                {
                    var phase = await LoadPhase.RunAsync(client, server.Process, server.Database, endpoint, round, options.Concurrency, TimeSpan.FromSeconds(options.PhaseSeconds), ct);
                    phases.Add(phase);
                    Progress.Note($"{engine}: round {round} {endpoint.Name()}: {phase.RequestsPerSecond:N0} req/s, p50 {phase.Latency.QuantileMs(0.5):F2} ms, " +
                        $"p99 {phase.Latency.QuantileMs(0.99):F2} ms, {phase.Errors:N0} errors");
                }
            }

            var served = VerificationReads + phases.Where(p => p.Endpoint is Endpoint.Read or Endpoint.ReadInherited).Sum(p => p.Served);
            Progress.Note($"{engine}: counting the audit trail of {served:N0} reads served");
            var audit = await AuditCheck.CountAsync(admin, target.ProjectId, served, ct);
            var usage = server.Process.Usage();
            var run = new EngineReadRun(engine, server.Description, server.Database, target, options.Phases, phases, idleRss, usage, audit, [], null);
            return run.Clean ? run : run with { ServerTail = server.Process.Tail(15) };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Progress.Note($"{engine}: failed: {e}");
            return new EngineReadRun(engine, server?.Description, server?.Database, null, options.Phases, phases, null, null, null, server?.Process.Tail(15) ?? [], e.Message);
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static async Task WarmUpAsync(LoadClient client, ServerProcess server, DatabaseProcesses database, EngineBenchOptions options, List<PhaseResult> phases, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        long Served(Endpoint endpoint) => phases.Where(p => p.Round == 0 && p.Endpoint == endpoint).Sum(p => p.Served);
        bool Warm() => started.Elapsed >= TimeSpan.FromSeconds(options.WarmupSeconds) &&
            options.Phases.All(e => Served(e) >= options.WarmupRequests);
        while (!Warm() && started.Elapsed < EngineBenchOptions.MaxWarmup)
        {
            foreach (var endpoint in options.Phases.Where(e => Served(e) < options.WarmupRequests || started.Elapsed < TimeSpan.FromSeconds(options.WarmupSeconds)))
            {
                phases.Add(await LoadPhase.RunAsync(client, server, database, endpoint, 0, options.Concurrency, WarmupSlice, ct));
            }
        }
    }
}
