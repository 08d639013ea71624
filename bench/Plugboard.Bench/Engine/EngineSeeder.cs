using System.Diagnostics;
using System.Net;
using Plugboard.Bench.Refresh;

namespace Plugboard.Bench.Engine;

/// What the load reads: one non-expiring CUSTOM_AUTH connection, a global one shared with the project
/// like the seed's gelato_&lt;externalId&gt;, the engine token of that project, and what the list holds.
internal sealed record EngineTarget(
    string ProjectId, string ConnectionId, string ExternalId, IReadOnlyDictionary<string, string> Props, string Token, int Fillers, TimeSpan FillTime,
    FlowSeed Flows, string InheritedExternalId, string ProxiedExternalId)
{
    /// Every connection the project's list holds: the fillers and the target.
    public int Listed => Fillers + 1;
}

/// Seeds through the API with the admin key: the project and a neighbour, the filler connections (half the
/// project's own SECRET_TEXT, half globals shared with it, every other one of those with the neighbour too, so
/// the read is an index lookup among many rows and links and a list row's projectIds is not always one), then
/// the target connection, the flows and an engine token.
internal static class EngineSeeder
{
    private const int SeedConcurrency = 16;

    public static async Task<EngineTarget> SeedAsync(HttpClient admin, EngineBenchOptions options, CancellationToken ct)
    {
        var projectExternalId = $"org_{Guid.NewGuid():N}"[..16];
        var projectId = await AddProjectAsync(admin, projectExternalId, ct);
        var neighbourId = await AddProjectAsync(admin, projectExternalId + "_nb", ct);

        var fillTime = Stopwatch.StartNew();
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Connections),
            new ParallelOptions { MaxDegreeOfParallelism = SeedConcurrency, CancellationToken = ct }, async (i, token) =>
            {
                await AddFillerAsync(admin, projectId, neighbourId, i, token);
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

        var inheritedExternalId = await AddInheritedAsync(admin, projectId, projectExternalId, ct);
        var proxiedExternalId = await AddProxiedAsync(admin, projectId, projectExternalId, ct);
        var flows = await FlowSeeder.SeedAsync(admin, projectId, externalId, options, ct);
        var issued = await BenchApi.PostAsync(admin, "/api/v1/engine-tokens",
            new { projectId, ttlSeconds = options.TokenTtlSeconds }, HttpStatusCode.OK, ct);
        return new EngineTarget(projectId, connection.GetProperty("id").GetString()!, externalId, props,
            issued.GetProperty("token").GetString()!, options.Connections, fillTime.Elapsed, flows, inheritedExternalId, proxiedExternalId);
    }

    /// A CUSTOMER definition whose connections inherit the base URL and region, and the project's connection made
    /// from it with its own API key: the read of that one merges the two.
    private static async Task<string> AddInheritedAsync(HttpClient admin, string projectId, string projectExternalId, CancellationToken ct)
    {
        var stableKey = $"bench-crm-{projectExternalId}".ToLowerInvariant();
        await BenchApi.PostAsync(admin, "/api/v1/connection-definitions", new
        {
            stableKey, displayName = "Bench CRM", pieceName = "@acme/piece-crm", type = "CUSTOM_AUTH", credentials = "CUSTOMER",
            globalValues = new { props = new { base_url = "https://crm.example.com", region = "eu" } },
        }, HttpStatusCode.Created, ct);
        await BenchApi.PostAsync(admin, "/api/v1/app-connections", new
        {
            projectId, definition = stableKey, value = new { type = "CUSTOM_AUTH", props = new { api_key = "crm_" + Guid.NewGuid().ToString("N") } },
        }, HttpStatusCode.Created, ct);
        return stableKey;
    }

    /// A SECRET_TEXT definition whose proxy base is the bench host's stand-in API, and the project's connection of it.
    private static async Task<string> AddProxiedAsync(HttpClient admin, string projectId, string projectExternalId, CancellationToken ct)
    {
        var stableKey = $"bench-api-{projectExternalId}".ToLowerInvariant();
        await BenchApi.PostAsync(admin, "/api/v1/connection-definitions", new
        {
            stableKey, displayName = "Bench API", pieceName = "@acme/piece-api", type = "SECRET_TEXT", credentials = "CUSTOMER",
            proxyBaseUrl = new Uri(admin.BaseAddress!, "/bench/upstream").AbsoluteUri,
        }, HttpStatusCode.Created, ct);
        await BenchApi.PostAsync(admin, "/api/v1/app-connections", new
        {
            projectId, definition = stableKey, value = new { type = "SECRET_TEXT", secret_text = "sk_" + Guid.NewGuid().ToString("N") },
        }, HttpStatusCode.Created, ct);
        return stableKey;
    }

    /// The externalId of filler i: even ones are the project's own, odd ones global.
    public static string FillerExternalId(int i) => i % 2 == 0 ? $"filler_{i}" : $"gelato_filler_{i}";

    public static string FillerPiece(int i) => i % 2 == 0 ? "@activepieces/piece-slack" : "@activepieces/piece-gelato";

    private static async Task<string> AddProjectAsync(HttpClient admin, string externalId, CancellationToken ct) =>
        (await BenchApi.PostAsync(admin, "/api/v1/projects",
            new { displayName = externalId, externalId, metadata = new { } }, HttpStatusCode.Created, ct)).GetProperty("id").GetString()!;

    private static Task AddFillerAsync(HttpClient admin, string projectId, string neighbourId, int i, CancellationToken ct) => i % 2 == 0
        ? BenchApi.PostAsync(admin, "/api/v1/app-connections", new
        {
            projectId,
            externalId = FillerExternalId(i),
            displayName = $"Filler {i}",
            pieceName = FillerPiece(i),
            type = "SECRET_TEXT",
            value = new { type = "SECRET_TEXT", secret_text = $"xoxb-filler-{i}" },
        }, HttpStatusCode.Created, ct)
        : BenchApi.PostAsync(admin, "/api/v1/global-connections", new
        {
            displayName = $"Filler {i}",
            pieceName = FillerPiece(i),
            type = "CUSTOM_AUTH",
            value = new { type = "CUSTOM_AUTH", props = new { api_key = $"gel_filler_{i}" } },
            scope = "PLATFORM",
            projectIds = i % 4 == 1 ? new[] { projectId, neighbourId } : new[] { projectId },
            externalId = FillerExternalId(i),
        }, HttpStatusCode.Created, ct);
}
