using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Flows;

/// MISSING placeholders: PROJECT connections (NO_AUTH, no owner) standing for an externalId that flows of
/// the project reference but nothing provides, so the project's list shows what still needs connecting.
/// An upsert of that externalId fills the same row; a global connection shared with the project supersedes it;
/// once no flow of the project references it, it goes. Only rows with status MISSING are ever removed here.
public static class ConnectionPlaceholders
{
    public const string NoAuthValue = """{"type":"NO_AUTH"}""";

    /// Creates a placeholder in the flow's project for every referenced externalId no connection there provides.
    /// Runs in the caller's transaction; a row created meanwhile by someone else wins (ON CONFLICT DO NOTHING).
    public static async Task CreateMissingAsync(this PlugboardDb db, SecretProtector protector, TimeProvider time,
        string platformId, string projectId, IReadOnlyList<ConnectionUse> uses, CancellationToken ct)
    {
        if (uses.Count == 0)
        {
            return;
        }
        var ids = uses.Select(u => u.ExternalId).ToList();
        var provided = (await db.VisibleIn(platformId, projectId).Where(c => ids.Contains(c.ExternalId)).Select(c => c.ExternalId).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var missing = uses.Where(u => !provided.Contains(u.ExternalId)).ToList();
        if (missing.Count == 0)
        {
            return;
        }
        var now = time.UtcNow();
        var sql = new SqlBatch(db.Database.GetDbConnection());
        foreach (var use in missing)
        {
            var c = New(protector, platformId, projectId, use.ExternalId, use.PieceName, use.ExternalId, now);
            var id = sql.P(c.Id);
            sql.Append($"""
                INSERT INTO app_connections (id, platform_id, external_id, scope, scope_key, display_name, display_name_search,
                    piece_name, piece_version, type, status, owner_id, value, metadata, pre_select_for_new_projects, version, created, updated,
                    status_changed_at, refresh_failure_count, refresh_failure_days)
                VALUES ({id}, {sql.P(c.PlatformId)}, {sql.P(c.ExternalId)}, {sql.P(c.Scope.ToString())}, {sql.P(c.ScopeKey)},
                    {sql.P(c.DisplayName)}, {sql.P(c.DisplayNameSearch)}, {sql.P(c.PieceName)}, {sql.P(c.PieceVersion)}, {sql.P(c.Type.ToString())},
                    {sql.P(c.Status.ToString())}, {sql.P(c.OwnerId)}, {sql.P(c.Value)}, {sql.P(c.Metadata)}, {sql.P(c.PreSelectForNewProjects)},
                    {sql.P(c.Version)}, {sql.P(c.Created)}, {sql.P(c.Updated)}, {sql.P(c.StatusChangedAt)}, 0, 0)
                ON CONFLICT (platform_id, scope_key, external_id) DO NOTHING;
                INSERT INTO app_connection_projects (connection_id, project_id, platform_id)
                SELECT {id}, {sql.P(projectId)}, {sql.P(platformId)} WHERE EXISTS (SELECT 1 FROM app_connections WHERE id = {id});
                """);
        }
        await db.Database.ExecuteSqlRawAsync(sql.Text, sql.Parameters, ct);
    }

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

    /// Removes the project's placeholders among these externalIds that no flow of the project references anymore.
    public static Task<int> RemoveUnreferencedAsync(this PlugboardDb db, string platformId, string projectId,
        IReadOnlyCollection<string> externalIds, CancellationToken ct)
    {
        if (externalIds.Count == 0)
        {
            return Task.FromResult(0);
        }
        var ids = externalIds.Distinct().ToList();
        return db.AppConnections
            .Where(c => c.PlatformId == platformId && c.ScopeKey == projectId && c.Status == ConnectionStatus.Missing && ids.Contains(c.ExternalId) &&
                !db.Set<FlowConnectionRef>().Any(r => r.PlatformId == platformId && r.ProjectId == projectId && r.ExternalId == c.ExternalId))
            .ExecuteDeleteAsync(ct);
    }

    /// Removes the placeholders a global connection now provides: those with its externalId in the projects it is
    /// shared with. Left in place they would shadow it, since in a project a PROJECT connection wins.
    public static Task<int> RemoveSupersededAsync(this PlugboardDb db, string platformId, string globalConnectionId, string externalId, CancellationToken ct) =>
        db.AppConnections
            .Where(c => c.PlatformId == platformId && c.Scope == ConnectionScope.Project && c.Status == ConnectionStatus.Missing && c.ExternalId == externalId &&
                db.Set<AppConnectionProject>().Any(l => l.ConnectionId == globalConnectionId && l.PlatformId == platformId && l.ProjectId == c.ScopeKey))
            .ExecuteDeleteAsync(ct);
}
