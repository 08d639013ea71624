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
    /// The flows using a page's connections, as facts keyed by connection id: a query for the page's one facts
    /// round trip, not run here. A global connection's flows are those of the projects it is shared with (only the
    /// viewer's, when set) where no own, non-MISSING connection of its externalId shadows it.
    public static IQueryable<PageFact> FlowFacts(this PlugboardDb db, IReadOnlyList<string> ownIds, IReadOnlyList<string> globalIds, string? viewerProjectId)
    {
        var own =
            from c in db.Set<AppConnection>()
            where ownIds.Contains(c.Id)
            join r in db.Set<FlowConnectionRef>() on new { c.PlatformId, ProjectId = c.ScopeKey, c.ExternalId } equals new { r.PlatformId, r.ProjectId, r.ExternalId }
            select new PageFact { Key = c.Id, Kind = PageFact.FlowKind, Value = r.FlowId, FirstName = "", LastName = "" };
        var shared =
            from l in db.Set<AppConnectionProject>()
            where globalIds.Contains(l.ConnectionId) && (viewerProjectId == null || l.ProjectId == viewerProjectId)
            join c in db.Set<AppConnection>() on l.ConnectionId equals c.Id
            join r in db.Set<FlowConnectionRef>() on new { c.PlatformId, l.ProjectId, c.ExternalId } equals new { r.PlatformId, r.ProjectId, r.ExternalId }
            where !db.Set<AppConnection>().Any(o => o.PlatformId == c.PlatformId && o.ScopeKey == l.ProjectId && o.ExternalId == c.ExternalId &&
                o.Status != ConnectionStatus.Missing)
            select new PageFact { Key = c.Id, Kind = PageFact.FlowKind, Value = r.FlowId, FirstName = "", LastName = "" };
        return (ownIds.Count, globalIds.Count) switch
        {
            (0, _) => shared,
            (_, 0) => own,
            _ => own.Concat(shared),
        };
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
