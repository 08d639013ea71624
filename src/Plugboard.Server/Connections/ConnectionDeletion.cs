using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Outbox;

namespace Plugboard.Server.Connections;

/// Deleting a connection that flows may use: the guard and what stays behind.
public static class ConnectionDeletion
{
    /// The delete guard. Used by ENABLED flows: the error, nothing staged. Used only by DISABLED flows: the
    /// connection stays as a MISSING placeholder where they are (a global one leaves one in each such project and
    /// goes), unless the project has another connection of that externalId to fall back on. Unused: removed.
    /// The caller audits and saves.
    public static async Task<ApiError?> StageDeleteAsync(this PlugboardDb db, IConnectionUsage usage, SecretProtector protector, TimeProvider time,
        AppConnection connection, CancellationToken ct)
    {
        var (enabled, projects) = await usage.UsageAsync(connection, ct);
        if (enabled > 0)
        {
            return InUse(enabled);
        }
        var (platformId, externalId) = (connection.PlatformId, connection.ExternalId);
        // Written with the delete (the caller saves both); the links it names are still there to read.
        await db.AddEventAsync(time, connection, WebhookEvents.Deleted, ct);
        if (connection.Scope == ConnectionScope.Project)
        {
            var globalFallback = projects.Count > 0 && await db.AppConnections.AnyAsync(c =>
                c.PlatformId == platformId && c.ScopeKey == AppConnection.PlatformScopeKey && c.ExternalId == externalId &&
                c.Status != ConnectionStatus.Missing && c.Projects.Any(l => l.ProjectId == connection.ScopeKey), ct);
            if (projects.Count > 0 && !globalFallback)
            {
                connection.BecomeMissing(protector, time);
            }
            else
            {
                db.AppConnections.Remove(connection);
            }
            return null;
        }
        // A project that already has a row of this externalId (a placeholder) keeps it.
        var taken = projects.Count == 0
            ? []
            : await db.AppConnections.Where(c => c.PlatformId == platformId && c.ExternalId == externalId && projects.Contains(c.ScopeKey))
                .Select(c => c.ScopeKey).ToListAsync(ct);
        foreach (var projectId in projects.Except(taken))
        {
            db.AppConnections.Add(ConnectionPlaceholders.New(
                protector, connection.PlatformId, projectId, connection.ExternalId, connection.PieceName, connection.DisplayName, time.UtcNow()));
        }
        db.AppConnections.Remove(connection);
        return null;
    }

    public static ApiError InUse(int enabledFlows) => ApiError.Validation(
        $"Connection is used in {enabledFlows} active {(enabledFlows == 1 ? "flow" : "flows")}. Please remove it from flows first.");
}
