using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Flows;

/// The placeholders flows bring and take away: one for every externalId a saved flow references that nothing in
/// its project provides, removed again once no flow of the project references it (see ConnectionPlaceholders).
public static class FlowPlaceholders
{
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
            var c = ConnectionPlaceholders.New(protector, platformId, projectId, use.ExternalId, use.PieceName, use.ExternalId, now);
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
}
