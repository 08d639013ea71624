using Plugboard.Server.Data;
using Plugboard.Server.Engine;

namespace Plugboard.Server.Proxy;

/// Targets the proxy resolved, for the next call on the same connection: <see cref="ReadCache{TKey,TValue}"/> entries (gone
/// at this process's next write, at most 500 ms old for another replica's), never past the token's refresh time,
/// never for a connection that is not ACTIVE. A forced refresh (after an upstream 401) never reads from it.
public sealed class ProxyTargetCache(DataChanges changes, TimeProvider time)
{
    public const int MaxEntries = 10_000;

    private readonly ReadCache<Key, ProxyTarget> _targets = new(changes, time, MaxEntries);

    public readonly record struct Key(string PlatformId, string ProjectId, string ExternalId, bool EmbeddedOnly, bool TestRun);

    public long Generation => _targets.Generation;

    public bool TryGet(Key key, out ProxyTarget target) => _targets.TryGet(key, out target);

    public void Remember(Key key, long generation, ProxyTarget target)
    {
        if (EngineReadCache.Keepable(target.Connection, out var refreshAt))
        {
            _targets.Remember(key, generation, target, refreshAt);
        }
    }
}
