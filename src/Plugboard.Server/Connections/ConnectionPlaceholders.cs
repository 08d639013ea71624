using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Connections;

/// MISSING placeholders: PROJECT connections (NO_AUTH, no owner) standing for an externalId that flows of
/// the project reference but nothing provides, so the project's list shows what still needs connecting.
/// An upsert of that externalId fills the same row; a global connection shared with the project supersedes it;
/// once no flow of the project references it, it goes (Flows/FlowPlaceholders). Only rows with status MISSING are ever removed.
public static class ConnectionPlaceholders
{
    public const string NoAuthValue = """{"type":"NO_AUTH"}""";

    /// A new placeholder row with its project link, for EF to insert.
    public static AppConnection New(SecretProtector protector, string platformId, string projectId, string externalId, string pieceName,
        string displayName, DateTime now)
    {
        var id = Ids.New();
        return new AppConnection
        {
            Id = id,
            PlatformId = platformId,
            ExternalId = externalId,
            Scope = ConnectionScope.Project,
            ScopeKey = projectId,
            DisplayName = displayName,
            PieceName = pieceName,
            Type = ConnectionType.NoAuth,
            Status = ConnectionStatus.Missing,
            OwnerId = null,
            Value = protector.Protect(NoAuthValue, ConnectionSecrets.ValueContext(platformId, id)),
            Version = 1,
            Created = now,
            Updated = now,
            StatusChangedAt = now,
            Projects = [new AppConnectionProject { ConnectionId = id, ProjectId = projectId, PlatformId = platformId }],
        };
    }

    /// Turns a tracked connection into a placeholder: the credentials are overwritten, not just hidden.
    public static void BecomeMissing(this AppConnection c, SecretProtector protector, TimeProvider time)
    {
        var now = time.UtcNow();
        c.Type = ConnectionType.NoAuth;
        c.Value = protector.Protect(NoAuthValue, ConnectionSecrets.ValueContext(c.PlatformId, c.Id));
        c.StatusChangedAt = c.Status == ConnectionStatus.Missing ? c.StatusChangedAt : now;
        c.Status = ConnectionStatus.Missing;
        c.StatusReason = null;
        c.OwnerId = null;
        c.ExpiresAt = null;
        c.NextRefreshAt = null;
        c.LastRefreshedAt = null;
        c.RefreshLeaseOwner = null;
        c.RefreshLeaseUntil = null;
        c.RefreshFailureCount = 0;
        c.RefreshFailureDays = 0;
        c.LastRefreshFailureAt = null;
        c.RefreshIndeterminateAt = null;
        c.Version++;
        c.Updated = now;
    }

    /// Removes the placeholders a global connection now provides: those with its externalId in the projects it is
    /// shared with. Left in place they would shadow it, since in a project a PROJECT connection wins.
    public static Task<int> RemoveSupersededAsync(this PlugboardDb db, string platformId, string globalConnectionId, string externalId, CancellationToken ct) =>
        db.AppConnections
            .Where(c => c.PlatformId == platformId && c.Scope == ConnectionScope.Project && c.Status == ConnectionStatus.Missing && c.ExternalId == externalId &&
                db.Set<AppConnectionProject>().Any(l => l.ConnectionId == globalConnectionId && l.PlatformId == platformId && l.ProjectId == c.ScopeKey))
            .ExecuteDeleteAsync(ct);
}
