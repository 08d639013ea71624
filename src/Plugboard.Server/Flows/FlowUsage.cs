using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Flows;

/// Which flows use a connection. A flow uses the connection its project resolves the referenced externalId to,
/// so usage is keyed by (project, externalId), never by externalId alone: two projects' connections of one
/// externalId do not share flows. A PLATFORM connection counts in the projects it is shared with, except where
/// the project has its own PROJECT connection of that externalId, which wins there (the engine's read rule;
/// a MISSING placeholder holds no credentials and wins nothing).
public static class FlowUsage
{
    /// The flow ids of every connection of a page, by connection id: two queries for the whole page.
    public static async Task<ILookup<string, string>> FlowIdsAsync(this PlugboardDb db, IReadOnlyList<AppConnection> rows,
        Func<AppConnection, IReadOnlyList<string>> projectsOf, CancellationToken ct)
    {
        var empty = Array.Empty<(string ConnectionId, string FlowId)>().ToLookup(x => x.ConnectionId, x => x.FlowId);
        var projectIds = rows.SelectMany(projectsOf).Distinct().ToList();
        if (rows.Count == 0 || projectIds.Count == 0)
        {
            return empty;
        }
        var platformId = rows[0].PlatformId;
        var externalIds = rows.Select(r => r.ExternalId).Distinct().ToList();
        var refs = await db.FlowConnectionRefs.AsNoTracking()
            .Where(r => r.PlatformId == platformId && externalIds.Contains(r.ExternalId) && projectIds.Contains(r.ProjectId))
            .Select(r => new { r.ProjectId, r.ExternalId, r.FlowId })
            .ToListAsync(ct);
        if (refs.Count == 0)
        {
            return empty;
        }
        var flowsBy = refs.ToLookup(r => (r.ProjectId, r.ExternalId), r => r.FlowId);

        var globals = rows.Where(r => r.Scope == ConnectionScope.Platform && projectsOf(r).Any(p => flowsBy.Contains((p, r.ExternalId)))).ToList();
        var shadowed = new HashSet<(string ProjectId, string ExternalId)>();
        if (globals.Count > 0)
        {
            var globalExternalIds = globals.Select(g => g.ExternalId).Distinct().ToList();
            var globalProjectIds = globals.SelectMany(projectsOf).Distinct().ToList();
            var own = await db.AppConnections.AsNoTracking()
                .Where(c => c.PlatformId == platformId && c.ScopeKey != AppConnection.PlatformScopeKey && c.Status != ConnectionStatus.Missing &&
                    globalExternalIds.Contains(c.ExternalId) && globalProjectIds.Contains(c.ScopeKey))
                .Select(c => new { c.ScopeKey, c.ExternalId })
                .ToListAsync(ct);
            shadowed = own.Select(c => (c.ScopeKey, c.ExternalId)).ToHashSet();
        }

        return rows
            .SelectMany(row => projectsOf(row)
                .Where(project => row.PlatformId == platformId && (row.Scope == ConnectionScope.Project || !shadowed.Contains((project, row.ExternalId))))
                .SelectMany(project => flowsBy[(project, row.ExternalId)])
                .Distinct()
                .Order(StringComparer.Ordinal)
                .Select(flowId => (ConnectionId: row.Id, FlowId: flowId)))
            .ToLookup(x => x.ConnectionId, x => x.FlowId);
    }

    /// Flows using one connection: how many are ENABLED, and the projects where it is used at all.
    public static async Task<(int EnabledFlows, IReadOnlyList<string> Projects)> UsageAsync(this PlugboardDb db, AppConnection connection, CancellationToken ct)
    {
        var (platformId, externalId) = (connection.PlatformId, connection.ExternalId);
        List<string> projects = connection.Scope == ConnectionScope.Project
            ? [connection.ScopeKey]
            : await db.AppConnectionProjects
                .Where(l => l.ConnectionId == connection.Id && l.PlatformId == platformId &&
                    !db.Set<AppConnection>().Any(c => c.PlatformId == platformId && c.ScopeKey == l.ProjectId && c.ExternalId == externalId &&
                        c.Status != ConnectionStatus.Missing))
                .Select(l => l.ProjectId)
                .ToListAsync(ct);
        if (projects.Count == 0)
        {
            return (0, []);
        }
        var uses = await db.FlowConnectionRefs
            .Where(r => r.PlatformId == platformId && r.ExternalId == externalId && projects.Contains(r.ProjectId))
            .Join(db.Flows.Where(f => f.PlatformId == platformId), r => r.FlowId, f => f.Id, (r, f) => new { r.ProjectId, f.Status })
            .ToListAsync(ct);
        return (uses.Count(u => u.Status == FlowStatus.Enabled), uses.Select(u => u.ProjectId).Distinct().Order(StringComparer.Ordinal).ToList());
    }
}
