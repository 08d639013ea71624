using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Audit;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Outbox;
using Plugboard.Server.Projects;

namespace Plugboard.Server.Connections;

/// A project's connections as its create, update and delete routes see them.
internal sealed class ProjectConnections(PlugboardDb db, TimeProvider time) : IProjectConnections
{
    public Task<Outcome<List<string>>> FindGlobalIdsAsync(string platformId, IReadOnlyCollection<string> externalIds, string field, CancellationToken ct) =>
        db.FindGlobalIdsAsync(platformId, externalIds, field, ct);

    public Task AttachNewProjectAsync(string platformId, string projectId, IEnumerable<string> namedIds, CancellationToken ct) =>
        db.AttachNewProjectAsync(platformId, projectId, namedIds, ct);

    public Task SetProjectGlobalsAsync(string platformId, string projectId, IReadOnlyCollection<string> desiredIds, CancellationToken ct) =>
        db.SetProjectGlobalsAsync(platformId, projectId, desiredIds, ct);

    public async Task DeleteOwnAsync(Caller caller, string projectId, CancellationToken ct)
    {
        var own = db.AppConnections.Where(c => c.PlatformId == caller.PlatformId && c.ScopeKey == projectId);
        var subscribers = await WebhookOutbox.SubscribersAsync(db, caller.PlatformId, WebhookEvents.Deleted, ct);
        foreach (var c in await own.Select(c => new { c.Id, c.ExternalId, c.DisplayName, c.PieceName, c.Status }).ToListAsync(ct))
        {
            db.Record(time, caller, "connection.deleted", "app_connection", c.Id, projectId, new { c.ExternalId, c.DisplayName, Reason = "project.deleted" });
            WebhookOutbox.Add(db, time, caller.PlatformId, WebhookEvents.Deleted, subscribers,
                new ConnectionEventData(c.Id, c.ExternalId, [projectId], c.PieceName, WireEnum<ConnectionStatus>.Name(c.Status), "project.deleted"));
        }
        await own.ExecuteDeleteAsync(ct);
    }
}
