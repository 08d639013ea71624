using Plugboard.Server.Connections;
using Plugboard.Server.Data;

namespace Plugboard.Server.Engine;

/// What the engine read answered, for the next step of the same flow asking the same thing: a <see cref="ReadCache{TKey,TValue}"/>
/// entry, never kept past the token's refresh time. A connection in ERROR, one due for refresh and "not found" are never kept.
public sealed class EngineReadCache(DataChanges changes, TimeProvider time)
{
    public static readonly TimeSpan TimeToLive = ReadCache<Key, Entry>.TimeToLive;
    public const int MaxEntries = 10_000;

    private readonly ReadCache<Key, Entry> _entries = new(changes, time, MaxEntries);

    public readonly record struct Key(string PlatformId, string ProjectId, string ExternalId, bool TestRun = false);

    public sealed record Entry(WorkerConnectionDto Answer, string ConnectionId);

    /// Taken before the database is read; the answer is kept under it.
    public long Generation => _entries.Generation;

    public bool TryGet(Key key, out WorkerConnectionDto answer, out string connectionId)
    {
        if (_entries.TryGet(key, out var entry))
        {
            (answer, connectionId) = (entry.Answer, entry.ConnectionId);
            return true;
        }
        (answer, connectionId) = (null!, null!);
        return false;
    }

    public void Remember(Key key, long generation, AppConnection row, WorkerConnectionDto answer)
    {
        if (Keepable(row, out var refreshAt))
        {
            _entries.Remember(key, generation, new Entry(answer, row.Id), refreshAt);
        }
    }

    /// Whether what was read from the row may be remembered (only an ACTIVE one), and until when at the latest (its
    /// token's refresh time): the rule of every cache of a connection's credential.
    public static bool Keepable(AppConnection row, out DateTimeOffset? refreshAt)
    {
        refreshAt = row.NextRefreshAt is { } at ? new DateTimeOffset(at, TimeSpan.Zero) : null;
        return row.Status == ConnectionStatus.Active;
    }
}
