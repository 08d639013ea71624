using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Audit;

public sealed record AuditEventDto(
    string Id, DateTime Created, string PlatformId, string? ProjectId, string Action, string ActorType, string ActorId,
    string EntityType, string EntityId, JsonElement? Details);

/// /api/v1/audit-events: the platform's audit trail, newest first (what someone reading an audit log looks for),
/// platform keys only.
public static partial class AuditApi
{
    private const int MaxInstantLength = 40;

    public static RouteGroupBuilder MapAudit(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/audit-events").WithTags("Audit").RequireAuthorization(Policies.PlatformKey);
        group.MapGet("/", List).WithName("ListAuditEvents").WithSummary("List audit events, newest first");
        return group;
    }

    /// `from` and `to` (ISO 8601 instants, e.g. 2026-01-31T09:00:00Z) keep the events at or after `from` and before `to`.
    private static async Task<Results<Ok<SeekPage<AuditEventDto>>, ApiErrorResult>> List(
        Caller caller, PlugboardDb db, string? action, string? entityId, string? projectId, string? from, string? to, string? limit, string? cursor,
        CancellationToken ct)
    {
        if (!PageRequest.TryParse(limit, cursor, 50, out var page, out var error))
        {
            return new ApiErrorResult(error);
        }
        var (since, until, badTime) = TimeRange(from, to);
        if (badTime is not null)
        {
            return new ApiErrorResult(badTime);
        }
        var query = db.AuditEvents.AsNoTracking().Where(e => e.PlatformId == caller.PlatformId);
        if (!string.IsNullOrEmpty(action))
        {
            query = query.Where(e => e.Action == action);
        }
        if (!string.IsNullOrEmpty(entityId))
        {
            query = query.Where(e => e.EntityId == entityId);
        }
        if (!string.IsNullOrEmpty(projectId))
        {
            query = query.Where(e => e.ProjectId == projectId);
        }
        if (since is { } start)
        {
            query = query.Where(e => e.Created >= start);
        }
        if (until is { } end)
        {
            query = query.Where(e => e.Created < end);
        }
        var result = await query.ToSeekPageAsync(page, rows => Task.FromResult<IReadOnlyList<AuditEventDto>>(rows.Select(e => new AuditEventDto(
            e.Id, e.Created, e.PlatformId, e.ProjectId, e.Action, e.ActorType, e.ActorId, e.EntityType, e.EntityId, Validate.ParseMetadata(e.Details))).ToList()), ct,
            newestFirst: true);
        return TypedResults.Ok(result);
    }

    /// `from` inclusive, `to` exclusive, both UTC; a value that is not an instant is a 400, never ignored.
    private static (DateTime? From, DateTime? To, ApiError? Error) TimeRange(string? from, string? to)
    {
        if (!TryInstant(from, out var since))
        {
            return (null, null, NotAnInstant("from"));
        }
        if (!TryInstant(to, out var until))
        {
            return (null, null, NotAnInstant("to"));
        }
        if (since >= until)
        {
            return (null, null, ApiError.Validation("to must be later than from (from is inclusive, to exclusive).", "to"));
        }
        return (since, until, null);
    }

    /// An instant names its offset (Z or ±hh:mm): a bare local time would mean different moments to different readers.
    private static bool TryInstant(string? text, out DateTime? instant)
    {
        instant = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (text.Length > MaxInstantLength || !Instant().IsMatch(text) ||
            !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return false;
        }
        instant = parsed.UtcDateTime;
        return true;
    }

    private static ApiError NotAnInstant(string field) =>
        ApiError.Validation($"{field} must be an ISO 8601 instant with a time zone, e.g. 2026-01-31T09:00:00Z.", field);

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?(Z|[+-][0-9]{2}:[0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Instant();
}
