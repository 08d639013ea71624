using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Plugboard.Server.Data;

/// What this process may remember for a while: each entry until a time of its own, on the app's clock, and at most
/// <c>maxEntries</c> of them. When full it starts again empty, so the hot path keeps no eviction bookkeeping; the count
/// is kept alongside (ConcurrentDictionary.Count takes every lock) and only grows when a key is new.
public sealed class ExpiringMap<TKey, TValue>(TimeProvider time, int maxEntries, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries = new(comparer);
    private int _count;

    private sealed record Entry(TValue Value, DateTimeOffset Until);

    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && time.GetUtcNow() < entry.Until)
        {
            value = entry.Value;
            return true;
        }
        value = default;
        return false;
    }

    /// Remembers the value until then; a time already past remembers nothing.
    public void Set(TKey key, TValue value, DateTimeOffset until)
    {
        if (until <= time.GetUtcNow())
        {
            return;
        }
        var entry = new Entry(value, until);
        if (!_entries.TryAdd(key, entry))
        {
            _entries[key] = entry;
            return;
        }
        if (Interlocked.Increment(ref _count) > maxEntries)
        {
            _entries.Clear();
            Interlocked.Exchange(ref _count, 1);
            _entries[key] = entry;
        }
    }
}
