using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Plugboard.Server.Connections;
using Plugboard.Server.Data;
using Plugboard.Server.Engine;
using Plugboard.Server.Http;

namespace Plugboard.Bench.Host;

/// The engine read's two yardsticks, and the stand-in third-party API the proxy is measured against. The floor is what the read cannot go below on this storage (the same
/// token check and row read, no decryption, refresh check or audit); the bare route is what the machine
/// and the HTTP stack cannot go below (the same JSON shape, constant, with no authentication and no database).
public static class BenchRoutes
{
    public const string FloorPath = WorkerApi.Prefix + "/floor/app-connections/";
    public const string BarePath = "/bench/bare/app-connections/";
    public const string UpstreamPath = "/bench/upstream";

    /// What the stand-in third-party API answers: a small JSON document, like a typical REST read.
    private static readonly byte[] UpstreamAnswer = JsonSerializer.SerializeToUtf8Bytes(new
    {
        data = Enumerable.Range(1, 5).Select(i => new { id = $"inv_{i:D4}", amount = i * 1250, currency = "EUR", status = "paid" }),
        has_more = false,
    });

    private static readonly DateTime Stamp = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly WorkerConnectionDto BareConnection = new(
        "bench-bare-connection", Stamp, Stamp, "bench-bare", "Bench bare", ConnectionType.SecretText, "@plugboard/bench", "0.1.0",
        ["bench-bare-project"], "bench-bare-platform", ConnectionScope.Project, ConnectionStatus.Active, null, null, null, null, null,
        JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["type"] = "SECRET_TEXT", ["secret_text"] = "bench-constant-secret" }));

    public static IEndpointRouteBuilder MapBenchRoutes(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup(WorkerApi.Prefix).RequireAuthorization(EngineTokenAuthentication.Policy).SpendsEngineTokenBudget()
            .MapGet("/floor/app-connections/{**externalId}", Floor).ExcludeFromDescription();
        routes.MapGet(BarePath + "{**externalId}", () => TypedResults.Ok(BareConnection))
            .AllowAnonymous().DisableRateLimiting().ExcludeFromDescription();
        routes.MapGet(UpstreamPath + "/{**path}", () => TypedResults.Bytes(UpstreamAnswer, "application/json"))
            .AllowAnonymous().DisableRateLimiting().ExcludeFromDescription();
        return routes;
    }

    /// The same token check, row read and response as the engine read, without the refresh check, the
    /// decryption (so without `value`) and the audit.
    private static async Task<Results<Ok<WorkerConnectionDto>, ApiErrorResult>> Floor(HttpContext http, PlugboardDb db, string externalId, CancellationToken ct)
    {
        var caller = EngineCaller.From(http.User);
        var row = await EngineConnections.FindAsync(db, caller, RawRouteValue.After(http, FloorPath, externalId), ct);
        return row is null ? new ApiErrorResult(EngineConnections.NotFound(externalId)) : TypedResults.Ok(WorkerConnectionDto.From(row, caller.ProjectId, null));
    }
}
