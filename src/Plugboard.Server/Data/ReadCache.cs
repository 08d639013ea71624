namespace Plugboard.Server.Data;

/// Answers this process may give again without reading: one is kept only while nothing was written by this process
/// since it was read (<see cref="DataChanges"/>, taken before the read) and for at most <see cref="TimeToLive"/>, the
/// bound on what another replica wrote meanwhile. Bounded: when full it starts again empty.
public sealed class ReadCache<TKey, TValue>(DataChanges changes, TimeProvider time, int maxEntries, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    /// How long another replica's write may go unseen by a cached answer here.
    public static readonly TimeSpan TimeToLive = TimeSpan.FromMilliseconds(500);

    private readonly ExpiringMap<TKey, Entry> _entries = new(time, maxEntries, comparer);

    private sealed record Entry(TValue Value, long Generation);

    /// Taken before the database is read; the answer is kept under it.
    public long Generation => changes.Generation;

    public bool TryGet(TKey key, out TValue value)
    {
        if (_entries.TryGet(key, out var entry) && entry.Generation == changes.Generation)
        {
            value = entry.Value;
            return true;
        }
        value = default!;
        return false;
    }

    /// Keeps the answer read under `generation` for <see cref="TimeToLive"/>, or until `notAfter` if sooner.
    public void Remember(TKey key, long generation, TValue value, DateTimeOffset? notAfter = null)
    {
        var until = time.GetUtcNow() + TimeToLive;
        if (notAfter < until)
        {
            until = notAfter.Value;
        }
        _entries.Set(key, new Entry(value, generation), until);
    }
}
