using Plugboard.Server.Access;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Connections;

/// Pages of the connection lists as answered, for the same viewer asking the same thing again (a console or an
/// integration polling): <see cref="ReadCache{TKey,TValue}"/> entries, so a write on this replica shows at once
/// and one on another replica within its time to live. A page shows no secret; errors are never kept. At most
/// <see cref="MaxEntries"/> pages of up to 100 rows.
public sealed class ConnectionPages(DataChanges changes, TimeProvider time)
{
    public const int MaxEntries = 256;

    private readonly ReadCache<Key, SeekPage<ConnectionDto>> _pages = new(changes, time, MaxEntries);

    /// Everything a page depends on: the route, the caller's platform, the project it sees from (a project key
    /// or session sees only its own), and the query string as sent.
    public readonly record struct Key(string Route, string PlatformId, string? ViewerProjectId, string Query)
    {
        public static Key For(string route, Caller caller, HttpRequest request) =>
            new(route, caller.PlatformId, caller.ProjectId, request.QueryString.Value ?? "");
    }

    public long Generation => _pages.Generation;

    public bool TryGet(Key key, out SeekPage<ConnectionDto> page) => _pages.TryGet(key, out page);

    public void Remember(Key key, long generation, SeekPage<ConnectionDto> page) => _pages.Remember(key, generation, page);
}
