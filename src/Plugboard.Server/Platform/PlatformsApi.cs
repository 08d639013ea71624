using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Audit;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Platform;

public sealed record PlatformDto(string Id, string Name, DateTime Created, DateTime? DisabledAt, IReadOnlyList<string> AllowedOrigins);

/// Returned once, by create: the new platform's first admin key (Cache-Control: no-store).
public sealed record CreatedPlatformDto(string Id, string Name, DateTime Created, DateTime? DisabledAt, IReadOnlyList<string> AllowedOrigins, string AdminApiKey);

public sealed record CreatePlatformRequest(string? Name, string? AdminEmail = null, List<string?>? AllowedOrigins = null);

/// A platform's settings its owner may change; a field left out keeps its value.
public sealed record UpdatePlatformRequest(string? Name = null, List<string?>? AllowedOrigins = null);

/// /api/v1/platforms: the operator's routes (PLUGBOARD_OPERATOR_KEY), and nothing a platform key opens.
/// Each platform then has its own keys, projects, connections and OAuth apps; the operator sees none of them.
public static class PlatformsApi
{
    private const int DefaultLimit = 50;

    public static RouteGroupBuilder MapPlatforms(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/platforms").WithTags("Platforms").RequireAuthorization(OperatorKeyAuthentication.Policy);
        group.MapGet("/", List).WithName("ListPlatforms").WithSummary("List platforms");
        group.MapPost("/", Create).WithName("CreatePlatform").WithSummary("Create a platform with its first admin key");
        group.MapPost("/{id}/disable", Disable).WithName("DisablePlatform").WithSummary("Disable a platform");
        group.MapPost("/{id}/enable", Enable).WithName("EnablePlatform").WithSummary("Enable a platform again");

        // The platform's own settings: its platform key may read and change them too (PlatformServices.PlatformOwnerPolicy).
        var owned = routes.MapGroup("/api/v1/platforms").WithTags("Platforms").RequireAuthorization(PlatformServices.PlatformOwnerPolicy);
        owned.MapGet("/{id}", Get).WithName("GetPlatform").WithSummary("Get a platform (the operator, or the platform's own platform key)")
            .ProducesApiError(StatusCodes.Status403Forbidden);
        owned.MapPost("/{id}", Update).WithName("UpdatePlatform").WithSummary("Update a platform's name or allowed embedding origins")
            .ProducesApiError(StatusCodes.Status403Forbidden);
        return group;
    }

    private static async Task<Results<Ok<SeekPage<PlatformDto>>, ApiErrorResult>> List(
        PlugboardDb db, string? limit, string? cursor, CancellationToken ct)
    {
        if (!PageRequest.TryParse(limit, cursor, DefaultLimit, out var page, out var error))
        {
            return new ApiErrorResult(error);
        }
        var result = await db.Platforms.AsNoTracking()
            .ToSeekPageAsync(page, rows => Task.FromResult<IReadOnlyList<PlatformDto>>(rows.Select(ToDto).ToList()), ct);
        return TypedResults.Ok(result);
    }

    /// The platform, its owner (a platform admin) and a platform API key, in one commit with their audit rows.
    private static async Task<Results<Created<CreatedPlatformDto>, ApiErrorResult>> Create(
        HttpContext http, PlugboardDb db, TimeProvider time, CreatePlatformRequest body, CancellationToken ct)
    {
        var origins = AllowedOrigins.Check(body.AllowedOrigins);
        var invalid = Validate.FirstError(
            Validate.Text(body.Name, "name"),
            origins.Error,
            Validate.Text(body.AdminEmail, "adminEmail", required: false),
            body.AdminEmail is { } email && !LooksLikeEmail(email) ? ApiError.Validation("adminEmail must be an email address.", "adminEmail") : null);
        if (invalid is not null)
        {
            return new ApiErrorResult(invalid);
        }
        var platform = db.AddPlatform(time, body.Name!, body.AdminEmail);
        platform.AllowedOrigins = AllowedOrigins.Store(origins.Value!);
        var value = ApiKeyHash.NewKey();
        var key = ApiKey.For(value, platform.Id, projectId: null, "Admin key (created by the operator)", time.UtcNow());
        db.ApiKeys.Add(key);
        db.Record(time, platform.Id, OperatorKeyAuthentication.ActorType, OperatorKeyAuthentication.ActorId,
            "platform.created", "platform", platform.Id, details: new { platform.Name });
        db.Record(time, platform.Id, OperatorKeyAuthentication.ActorType, OperatorKeyAuthentication.ActorId,
            "api_key.created", "api_key", key.Id, details: new { key.DisplayName, key.TruncatedValue });
        await db.SaveChangesAsync(ct);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/api/v1/platforms/{platform.Id}",
            new CreatedPlatformDto(platform.Id, platform.Name, platform.Created, platform.DisabledAt, AllowedOrigins.Parse(platform.AllowedOrigins), value));
    }

    /// The operator reads any platform; a platform key only its own (another one is "not found").
    private static async Task<Results<Ok<PlatformDto>, ApiErrorResult>> Get(HttpContext http, PlugboardDb db, string id, CancellationToken ct)
    {
        if (http.User.FindFirst(ClaimNames.ActorType)?.Value != OperatorKeyAuthentication.ActorType && Caller.From(http.User).PlatformId != id)
        {
            return new ApiErrorResult(NotFound(id));
        }
        var platform = await db.Platforms.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        return platform is null ? new ApiErrorResult(NotFound(id)) : TypedResults.Ok(ToDto(platform));
    }

    /// The operator updates any platform; a platform key only its own (another one is "not found", as if it did not exist).
    private static async Task<Results<Ok<PlatformDto>, ApiErrorResult>> Update(
        HttpContext http, PlugboardDb db, TimeProvider time, string id, UpdatePlatformRequest body, CancellationToken ct)
    {
        var isOperator = http.User.FindFirst(ClaimNames.ActorType)?.Value == OperatorKeyAuthentication.ActorType;
        var caller = isOperator ? null : Caller.From(http.User);
        if (caller is not null && caller.PlatformId != id)
        {
            return new ApiErrorResult(NotFound(id));
        }
        var origins = AllowedOrigins.Check(body.AllowedOrigins);
        var invalid = Validate.FirstError(Validate.Text(body.Name, "name", required: false), origins.Error);
        if (invalid is not null)
        {
            return new ApiErrorResult(invalid);
        }
        var platform = await db.Platforms.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (platform is null)
        {
            return new ApiErrorResult(NotFound(id));
        }
        platform.Name = body.Name ?? platform.Name;
        if (body.AllowedOrigins is not null)
        {
            platform.AllowedOrigins = AllowedOrigins.Store(origins.Value!);
        }
        var details = new { platform.Name, AllowedOrigins = AllowedOrigins.Parse(platform.AllowedOrigins) };
        if (caller is null)
        {
            db.Record(time, platform.Id, OperatorKeyAuthentication.ActorType, OperatorKeyAuthentication.ActorId, "platform.updated", "platform", platform.Id, details: details);
        }
        else
        {
            db.Record(time, caller, "platform.updated", "platform", platform.Id, details: details);
        }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToDto(platform));
    }

    /// Refuses the platform's API keys at once and its engine and session tokens within a second
    /// (<see cref="PlatformStatus.MaxAge"/>). Nothing is deleted: enabling it again restores everything.
    private static Task<Results<Ok<PlatformDto>, ApiErrorResult>> Disable(
        PlugboardDb db, PlatformStatus status, TimeProvider time, string id, CancellationToken ct) =>
        SetDisabledAsync(db, status, time, id, disabled: true, ct);

    private static Task<Results<Ok<PlatformDto>, ApiErrorResult>> Enable(
        PlugboardDb db, PlatformStatus status, TimeProvider time, string id, CancellationToken ct) =>
        SetDisabledAsync(db, status, time, id, disabled: false, ct);

    /// Idempotent: disabling a disabled platform keeps its first disabledAt and records nothing new.
    private static async Task<Results<Ok<PlatformDto>, ApiErrorResult>> SetDisabledAsync(
        PlugboardDb db, PlatformStatus status, TimeProvider time, string id, bool disabled, CancellationToken ct)
    {
        var platform = await db.Platforms.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (platform is null)
        {
            return new ApiErrorResult(NotFound(id));
        }
        if (platform.DisabledAt is null == disabled)
        {
            platform.DisabledAt = disabled ? time.UtcNow() : null;
            db.Record(time, platform.Id, OperatorKeyAuthentication.ActorType, OperatorKeyAuthentication.ActorId,
                disabled ? "platform.disabled" : "platform.enabled", "platform", platform.Id, details: new { platform.Name });
            await db.SaveChangesAsync(ct);
            status.Invalidate();
        }
        return TypedResults.Ok(ToDto(platform));
    }

    private static bool LooksLikeEmail(string value) =>
        value.IndexOf('@', StringComparison.Ordinal) is > 0 and var at && at < value.Length - 1 && !value.Any(char.IsWhiteSpace);

    private static ApiError NotFound(string id) => ApiError.NotFound("platform", id, "Platform not found");

    private static PlatformDto ToDto(PlatformEntity p) => new(p.Id, p.Name, p.Created, p.DisabledAt, AllowedOrigins.Parse(p.AllowedOrigins));
}
