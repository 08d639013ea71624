using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Data;

namespace Plugboard.Server.Flows;

/// The meeting point of "a flow starts using a connection" and "the connection is deleted", so the delete guard
/// cannot count the flows and then delete while a flow enabled in between slips past. A delete holds the
/// connection's row for update (RowLocks) while it counts and deletes; a flow save holds the rows it references
/// for share until it commits. Whichever comes second waits for the first and then sees what it did: the delete
/// counts the enabled flow and refuses, or the flow finds the connection gone and gets a placeholder.
/// On SQLite both run in BEGIN IMMEDIATE transactions, which the single writer already serialises.
public static class UsageLocks
{
    public static async Task LockUsedConnectionsAsync(this PlugboardDb db, string platformId, string projectId,
        IReadOnlyCollection<string> externalIds, CancellationToken ct)
    {
        if (db.IsSqlite || externalIds.Count == 0)
        {
            return;
        }
        await db.Database.ExecuteSqlRawAsync("""
            SELECT 1 FROM app_connections c
            WHERE c.platform_id = {0} AND c.external_id = ANY({1})
                AND (c.scope_key = {2} OR (c.scope_key = {3}
                    AND EXISTS (SELECT 1 FROM app_connection_projects l WHERE l.connection_id = c.id AND l.project_id = {2})))
            ORDER BY c.id
            FOR SHARE OF c
            """, [platformId, externalIds.Distinct().ToArray(), projectId, AppConnection.PlatformScopeKey], ct);
    }
}
