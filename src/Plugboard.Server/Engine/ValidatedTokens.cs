using System.Collections.Concurrent;

namespace Plugboard.Server.Engine;

/// Engine tokens this process has already validated, until they expire: a running flow presents the same token
/// on every step, and checking its signature and claims once is enough (the token cannot change, and the
/// disabled-platform check still runs on every request). Bounded: when full it starts again empty.
public sealed class ValidatedTokens(TimeProvider time)
{
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed record Entry(EngineCaller Caller, DateTimeOffset ExpiresAt);

    public EngineCaller? Find(string token) =>
        _entries.TryGetValue(token, out var entry) && time.GetUtcNow() < entry.ExpiresAt ? entry.Caller : null;

    public void Remember(string token, EngineCaller caller, DateTimeOffset expiresAt)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }
        _entries[token] = new Entry(caller, expiresAt);
    }
}
