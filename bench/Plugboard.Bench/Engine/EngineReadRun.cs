using System.Diagnostics;
using Plugboard.Bench.Refresh;

namespace Plugboard.Bench.Engine;

/// One engine from an empty database to its figures: seed, check the three answers, warm up (one-second
/// slices on each endpoint in turn), then bare, floor and read phases in turn (ABBA: bare and floor first in odd rounds, read first in even
/// ones, so a drift in the machine's speed weighs on all alike), then the audit trail.
internal sealed record EngineReadRun(
    string Engine,
    string? Description,
    EngineTarget? Target,
    IReadOnlyList<PhaseResult> Phases,
    long? IdleRssKb,
    ProcessUsage? UsageAtEnd,
    AuditFigures? Audit,
    IReadOnlyList<string> ServerTail,
    string? Error)
{
    private const int VerificationReads = 1;
    private static readonly Endpoint[] Endpoints = [Endpoint.Bare, Endpoint.Floor, Endpoint.Read];

    private static readonly TimeSpan WarmupSlice = TimeSpan.FromSeconds(1);

    public EndpointFigures Floor => EndpointFigures.Of(Endpoint.Floor, Phases.Where(p => p.Round > 0));
    public EndpointFigures Read => EndpointFigures.Of(Endpoint.Read, Phases.Where(p => p.Round > 0));
    public EndpointFigures Bare => EndpointFigures.Of(Endpoint.Bare, Phases.Where(p => p.Round > 0));
    public EndpointFigures Warmup(Endpoint endpoint) => EndpointFigures.Of(endpoint, Phases.Where(p => p.Round == 0));
    public double Ratio => Read.RequestsPerSecond / Floor.RequestsPerSecond;
    /// The read against what the machine and the HTTP stack serve at most: no target, a yardstick.
    public double BareRatio => Read.RequestsPerSecond / Bare.RequestsPerSecond;
    public bool TargetMet => Ratio >= EngineBenchOptions.Target && Floor.Errors == 0 && Read.Errors == 0;

    public static async Task<EngineReadRun> RunAsync(string engine, EngineBenchOptions options, string serverDll, CancellationToken ct)
    {
        Progress.Note($"{engine}: fresh database, one bench host process (the server with the floor and bare routes)");
        EngineServer? server = null;
        var phases = new List<PhaseResult>();
        try
        {
            server = await EngineServer.StartAsync(engine, serverDll, ct);
            using var admin = BenchApi.Client(server.Process.BaseAddress, server.AdminKey);
            Progress.Note($"{engine}: {server.Description}; seeding {options.Connections:N0} filler connections and the target");
            var target = await EngineSeeder.SeedAsync(admin, options, ct);

            using var client = new LoadClient(server.Process.BaseAddress, target.Token, target.ExternalId, options.Concurrency);
            await ReadCheck.VerifyAsync(client, target, ct);
            var idleRss = server.Process.Usage().RssKb;

            Progress.Note($"{engine}: warm-up, at least {options.WarmupSeconds} s and {options.WarmupRequests:N0} requests on each endpoint, {options.Concurrency} workers");
            await WarmUpAsync(client, server.Process, options, phases, ct);

            for (var round = 1; round <= options.Rounds; round++)
            {
                Endpoint[] order = round % 2 == 1 ? [Endpoint.Bare, Endpoint.Floor, Endpoint.Read] : [Endpoint.Read, Endpoint.Floor, Endpoint.Bare];
                foreach (var endpoint in order)
                {
                    var phase = await LoadPhase.RunAsync(client, server.Process, endpoint, round, options.Concurrency, TimeSpan.FromSeconds(options.PhaseSeconds), ct);
                    phases.Add(phase);
                    Progress.Note($"{engine}: round {round} {endpoint}: {phase.RequestsPerSecond:N0} req/s, p50 {phase.Latency.QuantileMs(0.5):F2} ms, " +
                        $"p99 {phase.Latency.QuantileMs(0.99):F2} ms, {phase.Errors:N0} errors");
                }
            }

            var served = VerificationReads + phases.Where(p => p.Endpoint == Endpoint.Read).Sum(p => p.Served);
            Progress.Note($"{engine}: counting the audit trail of {served:N0} reads served");
            var audit = await AuditCheck.CountAsync(admin, target.ProjectId, served, ct);
            var usage = server.Process.Usage();
            var run = new EngineReadRun(engine, server.Description, target, phases, idleRss, usage, audit, [], null);
            return run.TargetMet ? run : run with { ServerTail = server.Process.Tail(15) };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Progress.Note($"{engine}: failed: {e}");
            return new EngineReadRun(engine, server?.Description, null, phases, null, null, null, server?.Process.Tail(15) ?? [], e.Message);
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static async Task WarmUpAsync(LoadClient client, ServerProcess server, EngineBenchOptions options, List<PhaseResult> phases, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        long Served(Endpoint endpoint) => phases.Where(p => p.Round == 0 && p.Endpoint == endpoint).Sum(p => p.Served);
        bool Warm() => started.Elapsed >= TimeSpan.FromSeconds(options.WarmupSeconds) &&
            Endpoints.All(e => Served(e) >= options.WarmupRequests);
        while (!Warm() && started.Elapsed < EngineBenchOptions.MaxWarmup)
        {
            foreach (var endpoint in Endpoints)
            {
                phases.Add(await LoadPhase.RunAsync(client, server, endpoint, 0, options.Concurrency, WarmupSlice, ct));
            }
        }
    }
}
