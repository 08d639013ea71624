using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Connections;

/// Which projects a global (PLATFORM) connection is shared with, seen from the project side.
public static class GlobalConnectionLinks
{
    /// Resolves externalIds to this platform's global connections; an unknown one is a 400 naming it.
    public static async Task<Outcome<List<string>>> FindGlobalIdsAsync(
        this PlugboardDb db, string platformId, IReadOnlyCollection<string> externalIds, string field, CancellationToken ct)
    {
        var wanted = externalIds.Distinct(StringComparer.Ordinal).ToList();
        var found = await db.AppConnections
            .Where(c => c.PlatformId == platformId && c.ScopeKey == AppConnection.PlatformScopeKey && wanted.Contains(c.ExternalId))
            .Select(c => new { c.Id, c.ExternalId })
            .ToListAsync(ct);
        var missing = wanted.Except(found.Select(f => f.ExternalId), StringComparer.Ordinal).FirstOrDefault();
        return missing is null
            ? found.Select(f => f.Id).ToList()
            : ApiError.Validation($"{field}: there is no global connection with externalId '{missing}'.", field);
    }

    /// A new project gets every global connection marked preSelectForNewProjects, plus the named ones.
    public static async Task AttachNewProjectAsync(this PlugboardDb db, string platformId, string projectId, IEnumerable<string> namedIds, CancellationToken ct)
    {
        var preSelected = await db.AppConnections
            .Where(c => c.PlatformId == platformId && c.ScopeKey == AppConnection.PlatformScopeKey && c.PreSelectForNewProjects)
            .Select(c => c.Id)
            .ToListAsync(ct);
        foreach (var id in preSelected.Union(namedIds))
        {
            db.AppConnectionProjects.Add(new AppConnectionProject { ConnectionId = id, ProjectId = projectId, PlatformId = platformId });
        }
    }

    /// Makes the project's set of global connections exactly `desiredIds`.
    public static async Task SetProjectGlobalsAsync(this PlugboardDb db, string platformId, string projectId, IReadOnlyCollection<string> desiredIds, CancellationToken ct)
    {
        var current = await (
                from link in db.AppConnectionProjects
                join c in db.AppConnections on link.ConnectionId equals c.Id
                where link.ProjectId == projectId && c.PlatformId == platformId && c.ScopeKey == AppConnection.PlatformScopeKey
                select link)
            .ToListAsync(ct);
        db.AppConnectionProjects.RemoveRange(current.Where(l => !desiredIds.Contains(l.ConnectionId)));
        foreach (var id in desiredIds.Except(current.Select(l => l.ConnectionId)))
        {
            db.AppConnectionProjects.Add(new AppConnectionProject { ConnectionId = id, ProjectId = projectId, PlatformId = platformId });
        }
    }
}
