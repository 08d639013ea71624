using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Outbox;

namespace Plugboard.Server.Connections;

/// A connection's webhook event, added to the caller's unit of work (see <see cref="WebhookOutbox"/>): saved by the
/// caller's SaveChanges, in the transaction of the change it reports.
public static class ConnectionEvents
{
    /// `status` is the connection's status once the change commits (the row's own when null).
    public static async Task AddEventAsync(this PlugboardDb db, TimeProvider time, AppConnection c, string type, CancellationToken ct,
        ConnectionStatus? status = null, string? reason = null, string? dedupeKey = null)
    {
        var endpoints = await WebhookOutbox.SubscribersAsync(db, c.PlatformId, type, ct, dedupeKey);
        if (endpoints.Count == 0)
        {
            return;
        }
        IReadOnlyList<string> projectIds = c.Scope == ConnectionScope.Project
            ? [c.ScopeKey]
            : await db.AppConnectionProjects.AsNoTracking().Where(l => l.ConnectionId == c.Id).Select(l => l.ProjectId).OrderBy(p => p).ToListAsync(ct);
        var data = new ConnectionEventData(c.Id, c.ExternalId, projectIds, c.PieceName, WireEnum<ConnectionStatus>.Name(status ?? c.Status), reason);
        WebhookOutbox.Add(db, time, c.PlatformId, type, endpoints, data, dedupeKey);
    }
}
