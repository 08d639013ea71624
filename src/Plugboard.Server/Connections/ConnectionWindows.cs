using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Connections;

/// One keyset window of a connection list: the connections of one scope (a project's own, or the globals, or only
/// the globals shared with a project) that the caller sees and the filters pass, in page order, at most a page and
/// one row, as listed rows. A list is one window, or two merged.
public static class ConnectionWindows
{
    public static IQueryable<AppConnection> Window(
        this PlugboardDb db, Caller caller, string scopeKey, string? sharedWith, ConnectionFilters filters, PageRequest page)
    {
        var scoped = db.AppConnections.AsNoTracking().Where(c => c.PlatformId == caller.PlatformId && c.ScopeKey == scopeKey);
        if (sharedWith is not null)
        {
            scoped = scoped.Where(c => c.Projects.Any(l => l.ProjectId == sharedWith));
        }
        scoped = scoped.SeenBy(db, caller);
        if (filters.Metadata.Count == 0)
        {
            // Walks the (platform_id, scope_key, created, id) index in page order.
            return filters.Apply(scoped, db).Seek(page).Select(ConnectionViews.Listed);
        }
        // Walks the first filter's entries of this scope in page order on the metadata index (M0012) and joins each to
        // its connection, which the other filters then check: a selective value reads little more than the page,
        // where probing the scope's connections in order read every one until the page was full.
        var (key, value) = filters.Metadata[0];
        var others = filters with { Metadata = filters.Metadata.Skip(1).ToList() };
        var platformId = caller.PlatformId;
        return db.Set<ConnectionMetadataEntry>().AsNoTracking()
            .Where(m => m.PlatformId == platformId && m.Key == key && m.Value == value && m.ScopeKey == scopeKey)
            .Join(others.Apply(scoped, db), m => m.ConnectionId, c => c.Id, (m, c) => new Match { Created = m.Created, Id = m.ConnectionId, Connection = c })
            .Seek(page)
            .Select(x => x.Connection)
            .Select(ConnectionViews.Listed);
    }

    /// A connection with the keyset its entry carries (the same values), so the window orders and seeks on the index.
    private sealed class Match : ISeekable
    {
        public required DateTime Created { get; init; }
        public required string Id { get; init; }
        public required AppConnection Connection { get; init; }
    }
}
