using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Plugboard.Server.Access;
using Plugboard.Server.Http;

namespace Plugboard.Server.Sync;

/// /api/v1/sync: a platform's set-up exported from one instance and imported into another (seed 004's stable keys).
/// Platform keys only; each platform sees and changes only its own.
public static class SyncApi
{
    public const string PassphraseHeader = "X-Plugboard-Sync-Passphrase";
    private const int MinPassphraseLength = 12;

    public static RouteGroupBuilder MapSync(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/sync").WithTags("Sync").RequireAuthorization(Policies.PlatformKey);
        group.MapGet("/export", Export).WithName("ExportSyncBundle").WithSummary("Export the platform's set-up as a bundle (secrets only sealed)");
        group.MapPost("/import", Import).WithName("ImportSyncBundle").WithSummary("Import a bundle, matching items by stable key")
            .ProducesApiError(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Results<Ok<SyncBundle>, ApiErrorResult>> Export(
        HttpContext http, Caller caller, SyncExport export, string? secrets, [FromHeader(Name = PassphraseHeader)] string? passphrase, CancellationToken ct)
    {
        SyncSealer? sealer = null;
        if (!string.IsNullOrEmpty(secrets))
        {
            if (secrets != "sealed")
            {
                return new ApiErrorResult(ApiError.Validation("secrets may only be 'sealed': secrets never leave in clear text.", "secrets"));
            }
            if (passphrase is null || passphrase.Length < MinPassphraseLength)
            {
                return new ApiErrorResult(ApiError.Validation($"Sealing secrets needs a passphrase of at least {MinPassphraseLength} characters in the {PassphraseHeader} header.", PassphraseHeader));
            }
            sealer = SyncSealer.New(passphrase);
        }
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(await export.ExportAsync(caller.PlatformId, sealer, ct));
    }

    private static async Task<Results<Ok<SyncReport>, ApiErrorResult>> Import(
        Caller caller, SyncImport import, SyncBundle? body, bool? dryRun, bool? prune, [FromHeader(Name = PassphraseHeader)] string? passphrase, CancellationToken ct)
    {
        var outcome = await import.ImportAsync(caller, body, passphrase, dryRun == true, prune == true, ct);
        return outcome.TryGetValue(out var report, out var error) ? TypedResults.Ok(report) : new ApiErrorResult(error);
    }
}
