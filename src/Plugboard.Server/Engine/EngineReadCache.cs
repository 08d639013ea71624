using Plugboard.Server.Connections;
using Plugboard.Server.Data;

namespace Plugboard.Server.Engine;

/// What the engine read answered, for the next step of the same flow asking the same thing. An answer is kept
/// only while nothing was written by this process since it was read (<see cref="DataChanges"/>) and for at most
/// <see cref="TimeToLive"/> (the bound on another replica's writes), and never past the token's refresh time.
/// A connection in ERROR, one due for refresh and "not found" are never kept. Bounded: when full it starts again empty.
public sealed class EngineReadCache(DataChanges changes, TimeProvider time)
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromMilliseconds(500);
    public const int MaxEntries = 10_000;

    private readonly ExpiringMap<Key, Entry> _entries = new(time, MaxEntries);

    public readonly record struct Key(string PlatformId, string ProjectId, string ExternalId);

    private sealed record Entry(WorkerConnectionDto Answer, string ConnectionId, long Generation);

    /// Taken before the database is read; the answer is kept under it.
    public long Generation => changes.Generation;

    public bool TryGet(Key key, out WorkerConnectionDto answer, out string connectionId)
    {
        if (_entries.TryGet(key, out var entry) && entry.Generation == changes.Generation)
        {
            (answer, connectionId) = (entry.Answer, entry.ConnectionId);
            return true;
        }
        (answer, connectionId) = (null!, null!);
        return false;
    }

    public void Remember(Key key, long generation, AppConnection row, WorkerConnectionDto answer)
    {
        if (row.Status != ConnectionStatus.Active)
        {
            return;
        }
        var until = time.GetUtcNow() + TimeToLive;
        if (row.NextRefreshAt is { } refreshAt && refreshAt < until.UtcDateTime)
        {
            until = new DateTimeOffset(refreshAt, TimeSpan.Zero);
        }
        _entries.Set(key, new Entry(answer, row.Id, generation), until);
    }
}
