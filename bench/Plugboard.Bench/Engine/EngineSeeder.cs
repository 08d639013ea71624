using System.Diagnostics;
using System.Net;
using Plugboard.Bench.Refresh;

namespace Plugboard.Bench.Engine;

/// What the load reads: one non-expiring CUSTOM_AUTH connection, a global one shared with the project
/// like the seed's gelato_&lt;externalId&gt;, and the engine token of that project.
internal sealed record EngineTarget(
    string ProjectId, string ConnectionId, string ExternalId, IReadOnlyDictionary<string, string> Props, string Token, int Fillers, TimeSpan FillTime);

/// Seeds through the API with the admin key: the project, the filler connections (half the project's
/// own SECRET_TEXT, half globals shared with it, so the read is an index lookup among many rows and
/// links), then the target connection and an engine token.
internal static class EngineSeeder
{
    private const int SeedConcurrency = 16;

    public static async Task<EngineTarget> SeedAsync(HttpClient admin, EngineBenchOptions options, CancellationToken ct)
    {
        var projectExternalId = $"org_{Guid.NewGuid():N}"[..16];
        var project = await BenchApi.PostAsync(admin, "/api/v1/projects",
            new { displayName = projectExternalId, externalId = projectExternalId, metadata = new { } }, HttpStatusCode.Created, ct);
        var projectId = project.GetProperty("id").GetString()!;

        var fillTime = Stopwatch.StartNew();
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Connections),
            new ParallelOptions { MaxDegreeOfParallelism = SeedConcurrency, CancellationToken = ct }, async (i, token) =>
            {
                await AddFillerAsync(admin, projectId, i, token);
                if (Interlocked.Increment(ref done) % 500 == 0)
                {
                    Progress.Note($"  {done:N0} of {options.Connections:N0} filler connections");
                }
            });
        fillTime.Stop();

        var externalId = $"gelato_{projectExternalId}";
        var props = new Dictionary<string, string> { ["api_key"] = "gel_live_" + Guid.NewGuid().ToString("N"), ["region"] = "eu" };
        var connection = await BenchApi.PostAsync(admin, "/api/v1/global-connections", new
        {
            displayName = "Gelato Connection",
            pieceName = "@activepieces/piece-gelato",
            metadata = new { },
            type = "CUSTOM_AUTH",
            value = new { type = "CUSTOM_AUTH", props },
            scope = "PLATFORM",
            projectIds = new[] { projectId },
            externalId,
        }, HttpStatusCode.Created, ct);

        var issued = await BenchApi.PostAsync(admin, "/api/v1/engine-tokens",
            new { projectId, ttlSeconds = options.TokenTtlSeconds }, HttpStatusCode.OK, ct);
        return new EngineTarget(projectId, connection.GetProperty("id").GetString()!, externalId, props,
            issued.GetProperty("token").GetString()!, options.Connections, fillTime.Elapsed);
    }

    private static Task AddFillerAsync(HttpClient admin, string projectId, int i, CancellationToken ct) => i % 2 == 0
        ? BenchApi.PostAsync(admin, "/api/v1/app-connections", new
        {
            projectId,
            externalId = $"filler_{i}",
            displayName = $"Filler {i}",
            pieceName = "@activepieces/piece-slack",
            type = "SECRET_TEXT",
            value = new { type = "SECRET_TEXT", secret_text = $"xoxb-filler-{i}" },
        }, HttpStatusCode.Created, ct)
        : BenchApi.PostAsync(admin, "/api/v1/global-connections", new
        {
            displayName = $"Filler {i}",
            pieceName = "@activepieces/piece-gelato",
            type = "CUSTOM_AUTH",
            value = new { type = "CUSTOM_AUTH", props = new { api_key = $"gel_filler_{i}" } },
            scope = "PLATFORM",
            projectIds = new[] { projectId },
            externalId = $"gelato_filler_{i}",
        }, HttpStatusCode.Created, ct);
}
