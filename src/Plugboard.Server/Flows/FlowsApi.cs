using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Audit;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Projects;

namespace Plugboard.Server.Flows;

/// /api/v1/flows: a project's flows, and the index of the connections they reference.
public static class FlowsApi
{
    private const int DefaultLimit = 10;

    public static RouteGroupBuilder MapFlows(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/flows").WithTags("Flows").RequireAuthorization();
        group.MapGet("/", List).WithName("ListFlows").WithSummary("List a project's flows")
            .ProducesApiError(StatusCodes.Status404NotFound);
        group.MapPost("/", Create).RequireAuthorization(Policies.ProjectWrite)
            .WithName("CreateFlow").WithSummary("Create a flow").ProducesApiError(StatusCodes.Status404NotFound);
        group.MapGet("/{id}", Get).WithName("GetFlow").WithSummary("Get a flow");
        group.MapPost("/{id}", Update).RequireAuthorization(Policies.ProjectWrite)
            .WithName("UpdateFlow").WithSummary("Update a flow").ProducesApiError(StatusCodes.Status409Conflict);
        group.MapPost("/{id}/steps/{stepName}/connection", StepConnectionSwitch.Switch).RequireAuthorization(Policies.ProjectWrite)
            .WithName("SwitchFlowStepConnection").WithSummary("Switch the connection one step of a flow uses")
            .ProducesApiError(StatusCodes.Status409Conflict);
        group.MapDelete("/{id}", Delete).RequireAuthorization(Policies.ProjectWrite)
            .WithName("DeleteFlow").WithSummary("Delete a flow").ProducesApiError(StatusCodes.Status409Conflict);
        return group;
    }

    /// What a caller may reach by id: its platform's flows with a platform key, its project's with a project key.
    /// Anything else is "not found", never "forbidden".
    internal static IQueryable<Flow> VisibleTo(PlugboardDb db, Caller caller) =>
        caller.ProjectId is null
            ? db.Flows.Where(f => f.PlatformId == caller.PlatformId)
            : db.Flows.Where(f => f.PlatformId == caller.PlatformId && f.ProjectId == caller.ProjectId);

    public static ApiError NotFound(string id) => ApiError.NotFound("flow", id, "Flow not found");

    private static async Task<Results<Ok<SeekPage<FlowDto>>, ApiErrorResult>> List(
        Caller caller, PlugboardDb db, string? projectId, string? status, string? limit, string? cursor, CancellationToken ct)
    {
        var project = await db.ResolveProjectAsync(caller, projectId, ct);
        if (!project.TryGetValue(out var resolved, out var denied))
        {
            return new ApiErrorResult(denied);
        }
        FlowStatus? statusFilter = null;
        if (!PageRequest.TryParse(limit, cursor, DefaultLimit, out var page, out var error) ||
            (error = ParseStatus(status, out statusFilter)) is not null)
        {
            return new ApiErrorResult(error);
        }
        var query = db.Flows.AsNoTracking().Where(f => f.PlatformId == caller.PlatformId && f.ProjectId == resolved);
        if (statusFilter is { } only)
        {
            query = query.Where(f => f.Status == only);
        }
        return TypedResults.Ok(await query.ToSeekPageAsync(page, rows => ToDtosAsync(db, rows, ct), ct));
    }

    private static async Task<Results<Created<FlowDto>, ApiErrorResult>> Create(
        Caller caller, PlugboardDb db, SecretProtector protector, TimeProvider time, CreateFlowRequest body, CancellationToken ct)
    {
        var project = await db.ResolveProjectAsync(caller, body.ProjectId, ct);
        if (!project.TryGetValue(out var projectId, out var denied))
        {
            return new ApiErrorResult(denied);
        }
        FlowStatus? status = null;
        var invalid = Validate.Text(body.DisplayName, "displayName") ?? ParseStatus(body.Status, out status);
        if (invalid is not null)
        {
            return new ApiErrorResult(invalid);
        }
        var checkedContent = FlowContent.Check(FlowContent.CheckStep(body.Trigger, "trigger"), FlowContent.CheckSteps(body.Steps ?? []), stepsGiven: true);
        if (!checkedContent.TryGetValue(out var content, out var stepError))
        {
            return new ApiErrorResult(stepError);
        }

        var now = time.UtcNow();
        var flow = new Flow
        {
            Id = Ids.New(),
            PlatformId = caller.PlatformId,
            ProjectId = projectId,
            DisplayName = body.DisplayName!,
            Status = status ?? FlowStatus.Disabled,
            TriggerJson = content.TriggerJson,
            StepsJson = content.StepsJson,
            Version = 1,
            Created = now,
            Updated = now,
        };
        SyncRefs(flow, content);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.LockUsedConnectionsAsync(caller.PlatformId, projectId, flow.ConnectionRefs.Select(r => r.ExternalId).ToList(), ct);
        db.Flows.Add(flow);
        Audit(db, time, caller, "flow.created", flow);
        await db.SaveChangesAsync(ct);
        await db.CreateMissingAsync(protector, time, caller.PlatformId, projectId, content.Uses, ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Created($"/api/v1/flows/{flow.Id}", ToDto(flow, content));
    }

    private static async Task<Results<Ok<FlowDto>, ApiErrorResult>> Get(Caller caller, PlugboardDb db, string id, CancellationToken ct)
    {
        var flow = await VisibleTo(db, caller).AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, ct);
        return flow is null ? new ApiErrorResult(NotFound(id)) : TypedResults.Ok((await ToDtosAsync(db, [flow], ct))[0]);
    }

    /// Each field given replaces the stored one. A change to the trigger or steps re-indexes the flow's
    /// connection references, creates placeholders for new ones and drops placeholders nothing references now.
    /// Identical requests arriving together queue on the flow's row; one that still loses a race (a placeholder
    /// created by another flow's save) reruns from its first read.
    private static Task<Results<Ok<FlowDto>, ApiErrorResult>> Update(
        Caller caller, PlugboardDb db, SecretProtector protector, TimeProvider time, string id, UpdateFlowRequest body, CancellationToken ct) =>
        db.RetryOnConflictAsync(() => UpdateOnceAsync(caller, db, protector, time, id, body, ct), () => new ApiErrorResult(FlowChanged()), ct);

    private static async Task<Results<Ok<FlowDto>, ApiErrorResult>> UpdateOnceAsync(
        Caller caller, PlugboardDb db, SecretProtector protector, TimeProvider time, string id, UpdateFlowRequest body, CancellationToken ct)
    {
        await using var transaction = await db.BeginLockedAsync(LockedTable.Flows, caller.PlatformId, id, ct);
        var flow = await VisibleTo(db, caller).Include(f => f.ConnectionRefs).FirstOrDefaultAsync(f => f.Id == id, ct);
        if (flow is null)
        {
            return new ApiErrorResult(NotFound(id));
        }
        FlowStatus? status = null;
        var invalid = Validate.Text(body.DisplayName, "displayName", required: false) ?? ParseStatus(body.Status, out status);
        if (invalid is not null)
        {
            return new ApiErrorResult(invalid);
        }
        var checkedContent = FlowContent.Check(
            body.Trigger is null ? FlowContent.ReadTrigger(flow.TriggerJson) : FlowContent.CheckStep(body.Trigger, "trigger"),
            body.Steps is null ? FlowContent.ReadSteps(flow.StepsJson) : FlowContent.CheckSteps(body.Steps),
            stepsGiven: body.Steps is not null);
        if (!checkedContent.TryGetValue(out var content, out var stepError))
        {
            return new ApiErrorResult(stepError);
        }

        var before = flow.ConnectionRefs.Select(r => r.ExternalId).ToList();
        await db.LockUsedConnectionsAsync(flow.PlatformId, flow.ProjectId, content.Uses.Select(u => u.ExternalId).ToList(), ct);
        flow.DisplayName = body.DisplayName ?? flow.DisplayName;
        flow.Status = status ?? flow.Status;
        flow.TriggerJson = content.TriggerJson;
        flow.StepsJson = content.StepsJson;
        SyncRefs(flow, content);
        flow.Version++;
        flow.Updated = time.UtcNow();
        Audit(db, time, caller, "flow.updated", flow);
        await db.SaveChangesAsync(ct);
        await db.CreateMissingAsync(protector, time, flow.PlatformId, flow.ProjectId, content.Uses, ct);
        await db.RemoveUnreferencedAsync(flow.PlatformId, flow.ProjectId, before.Except(content.Uses.Select(u => u.ExternalId)).ToList(), ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(ToDto(flow, content));
    }

    private static async Task<Results<NoContent, ApiErrorResult>> Delete(Caller caller, PlugboardDb db, TimeProvider time, string id, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var flow = await VisibleTo(db, caller).Include(f => f.ConnectionRefs).FirstOrDefaultAsync(f => f.Id == id, ct);
        if (flow is null)
        {
            return new ApiErrorResult(NotFound(id));
        }
        var referenced = flow.ConnectionRefs.Select(r => r.ExternalId).ToList();
        db.Flows.Remove(flow);
        Audit(db, time, caller, "flow.deleted", flow);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Deleted or changed by a concurrent request: this one did not delete it.
            return new ApiErrorResult(FlowChanged());
        }
        await db.RemoveUnreferencedAsync(flow.PlatformId, flow.ProjectId, referenced, ct);
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    internal static ApiError FlowChanged() =>
        ApiError.Conflict(ErrorCodes.ConcurrentUpdate, "The flow was changed by another request; read it again and retry.");

    /// Makes the tracked refs of a flow exactly the externalIds its content references.
    public static void SyncRefs(Flow flow, FlowContent content)
    {
        var wanted = content.Uses.Select(u => u.ExternalId).ToHashSet(StringComparer.Ordinal);
        flow.ConnectionRefs.RemoveAll(r => !wanted.Contains(r.ExternalId));
        foreach (var externalId in wanted.Except(flow.ConnectionRefs.Select(r => r.ExternalId)).ToList())
        {
            flow.ConnectionRefs.Add(new FlowConnectionRef { FlowId = flow.Id, PlatformId = flow.PlatformId, ProjectId = flow.ProjectId, ExternalId = externalId });
        }
    }

    /// Names only: step inputs may hold literal secrets, so they never reach the audit log.
    private static void Audit(PlugboardDb db, TimeProvider time, Caller caller, string action, Flow flow) =>
        db.Record(time, caller, action, "flow", flow.Id, flow.ProjectId, new { flow.DisplayName, Status = WireEnum<FlowStatus>.Name(flow.Status) });

    private static ApiError? ParseStatus(string? status, out FlowStatus? parsed)
    {
        parsed = null;
        if (status is null)
        {
            return null;
        }
        if (!WireEnum<FlowStatus>.TryParse(status, out var value))
        {
            return ApiError.Validation("status must be ENABLED or DISABLED.", "status");
        }
        parsed = value;
        return null;
    }

    private static async Task<IReadOnlyList<FlowDto>> ToDtosAsync(PlugboardDb db, IReadOnlyList<Flow> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var refs = ids.Count == 0
            ? Array.Empty<FlowConnectionRef>().ToLookup(r => r.FlowId, r => r.ExternalId)
            : (await db.FlowConnectionRefs.AsNoTracking().Where(r => ids.Contains(r.FlowId)).ToListAsync(ct)).ToLookup(r => r.FlowId, r => r.ExternalId);
        return rows.Select(f => ToDto(f, FlowContent.ReadTrigger(f.TriggerJson), FlowContent.ReadSteps(f.StepsJson), refs[f.Id])).ToList();
    }

    internal static FlowDto ToDto(Flow flow, FlowContent content) => ToDto(flow, content.Trigger, content.Steps, content.ConnectionIds);

    private static FlowDto ToDto(Flow f, FlowStep trigger, IReadOnlyList<FlowStep> steps, IEnumerable<string> connectionIds) => new(
        f.Id, f.Created, f.Updated, f.ProjectId, f.DisplayName, f.Status, trigger, steps, connectionIds.Order(StringComparer.Ordinal).ToList());
}
