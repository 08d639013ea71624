using System.Net;
using Plugboard.Bench.Refresh;

namespace Plugboard.Bench.Engine;

/// The project's flows as seeded: how many, and how many connections they use.
internal sealed record FlowSeed(int Flows, int ConnectionsUsed);

/// Flows of the project using --flow-share of the fillers, spread evenly over them (so own and global ones
/// alike, and some on any page of the list), plus the target connection, a few per flow, half of the flows
/// ENABLED: the list then computes flowIds as it does in production, and the read's connection is in use.
internal static class FlowSeeder
{
    private const int StepsPerFlow = 3;
    private const int SeedConcurrency = 8;

    public static async Task<FlowSeed> SeedAsync(HttpClient admin, string projectId, string targetExternalId, EngineBenchOptions options, CancellationToken ct)
    {
        var used = (int)Math.Round(options.Connections * options.FlowShare);
        var fillers = Enumerable.Range(0, used).Select(k => (int)(k / options.FlowShare)).Where(i => i < options.Connections).Distinct()
            .Select(i => (ExternalId: EngineSeeder.FillerExternalId(i), Piece: EngineSeeder.FillerPiece(i)));
        var references = fillers.Prepend((ExternalId: targetExternalId, Piece: "@activepieces/piece-gelato")).ToList();
        var flows = references.Chunk(StepsPerFlow).ToList();
        await Parallel.ForEachAsync(flows.Select((steps, n) => (steps, n)),
            new ParallelOptions { MaxDegreeOfParallelism = SeedConcurrency, CancellationToken = ct },
            async (flow, token) => await BenchApi.PostAsync(admin, "/api/v1/flows", new
            {
                projectId,
                displayName = $"Bench flow {flow.n}",
                status = flow.n % 2 == 0 ? "ENABLED" : "DISABLED",
                trigger = new { name = "trigger", pieceName = "@activepieces/piece-schedule", operation = "every_hour", input = new { } },
                steps = flow.steps.Select((s, i) => new
                {
                    name = $"step_{i + 1}",
                    pieceName = s.Piece,
                    operation = "send_message",
                    input = new { auth = $"{{{{connections['{s.ExternalId}']}}}}", text = "hello" },
                }).ToArray(),
            }, HttpStatusCode.Created, token));
        return new FlowSeed(flows.Count, references.Count);
    }
}
