using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Audit;
using Plugboard.Server.Connections;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Flows;

/// POST /api/v1/flows/{id}/steps/{stepName}/connection: the designer's "switch connection" for one step (seed 004).
/// The step's references are rewritten the way replace rewrites them; every other step keeps what it had.
public static class StepConnectionSwitch
{
    /// Like a flow update: identical requests queue on the flow's row, and one that still loses a race reruns
    /// from its first read, then answers 409.
    public static Task<Results<Ok<FlowDto>, ApiErrorResult>> Switch(
        Caller caller, PlugboardDb db, TimeProvider time, string id, string stepName, SwitchStepConnectionRequest body, CancellationToken ct)
    {
        if (Validate.Text(body.Connection, "connection", max: Lengths.ExternalId) is { } invalid)
        {
            return Task.FromResult<Results<Ok<FlowDto>, ApiErrorResult>>(new ApiErrorResult(invalid));
        }
        return db.RetryOnConflictAsync(() => SwitchOnceAsync(caller, db, time, id, stepName, body.Connection!, ct), () => new ApiErrorResult(FlowsApi.FlowChanged()), ct);
    }

    private static async Task<Results<Ok<FlowDto>, ApiErrorResult>> SwitchOnceAsync(
        Caller caller, PlugboardDb db, TimeProvider time, string id, string stepName, string externalId, CancellationToken ct)
    {
        await using var transaction = await db.BeginLockedAsync(LockedTable.Flows, caller.PlatformId, id, ct);
        var flow = await FlowsApi.VisibleTo(db, caller).Include(f => f.ConnectionRefs).FirstOrDefaultAsync(f => f.Id == id, ct);
        if (flow is null)
        {
            return new ApiErrorResult(FlowsApi.NotFound(id));
        }
        var content = FlowContent.Read(flow);
        var step = content.Steps.Prepend(content.Trigger).FirstOrDefault(s => s.Name == stepName);
        if (step is null)
        {
            return new ApiErrorResult(ApiError.NotFound("flow_step", stepName, $"The flow has no step named '{stepName}'."));
        }

        // Held until commit, so a delete of the target waits for this switch and then counts it (see UsageLocks).
        await db.LockUsedConnectionsAsync(flow.PlatformId, flow.ProjectId, [externalId], ct);
        if (await ResolveAsync(db, caller, flow, externalId, ct) is not { } target)
        {
            return new ApiErrorResult(ConnectionViews.NotFound(externalId));
        }
        if (target.PieceName != step.PieceName)
        {
            return new ApiErrorResult(ApiError.Validation("Connections must be from the same app", "connection"));
        }
        if (!ConnectionReferences.CanReference(externalId))
        {
            return new ApiErrorResult(ApiError.Validation("The connection's externalId holds both quote kinds, so no step can reference it.", "connection"));
        }

        var current = Current(step);
        if (current.SequenceEqual([externalId]))
        {
            return TypedResults.Ok(FlowsApi.ToDto(flow, content));
        }
        var edit = new FlowEdit(flow);
        var part = edit.Part(stepName)!;
        if (current.Count == 0)
        {
            part["input"]!["auth"] = ConnectionReferences.ReferenceTo(externalId);
        }
        foreach (var from in current)
        {
            FlowEdit.RewriteReferences(part, from, externalId);
        }
        var before = flow.ConnectionRefs.Select(r => r.ExternalId).ToList();
        if (!edit.Save(time.UtcNow()).TryGetValue(out var saved, out var error))
        {
            return new ApiErrorResult(error);
        }
        db.Record(time, caller, "flow.connection_switched", "flow", flow.Id, flow.ProjectId, new
        {
            flow.DisplayName,
            Step = stepName,
            From = current,
            To = externalId,
            ConnectionId = target.Id,
        });
        await db.SaveChangesAsync(ct);
        // A placeholder the step referenced, and nothing references now, has served its purpose.
        await db.RemoveUnreferencedAsync(flow.PlatformId, flow.ProjectId, before.Except(saved.Uses.Select(u => u.ExternalId)).ToList(), ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(FlowsApi.ToDto(flow, saved));
    }

    /// The connection the flow's project resolves the externalId to: its own before a shared global one, as the
    /// engine resolves it. A MISSING placeholder provides nothing, and an embedded user cannot pick what it cannot see.
    private static async Task<AppConnection?> ResolveAsync(PlugboardDb db, Caller caller, Flow flow, string externalId, CancellationToken ct)
    {
        var candidates = await db.VisibleIn(flow.PlatformId, flow.ProjectId).SeenBy(db, caller).AsNoTracking()
            .Where(c => c.ExternalId == externalId)
            .Select(ConnectionViews.Listed)
            .ToListAsync(ct);
        var winner = candidates.OrderBy(c => c.Scope == ConnectionScope.Project ? 0 : 1).FirstOrDefault();
        return winner is { Status: not ConnectionStatus.Missing } ? winner : null;
    }

    /// The connections the step uses: those its `auth` references, or, without any there, those its whole input does.
    private static List<string> Current(FlowStep step)
    {
        var inAuth = step.Input.TryGetProperty("auth", out var auth) ? ConnectionReferences.InJson(auth).Distinct().ToList() : [];
        return inAuth.Count > 0 ? inAuth : ConnectionReferences.InJson(step.Input).Distinct().ToList();
    }
}
