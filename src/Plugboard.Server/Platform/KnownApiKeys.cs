using Plugboard.Server.Access;
using Plugboard.Server.Data;

namespace Plugboard.Server.Platform;

/// API keys this process has found, by hash, with the caller each one is.
public sealed class KnownApiKeys(DataChanges changes, TimeProvider time)
{
    public const int MaxEntries = 10_000;

    private readonly ReadCache<string, Caller> _callers = new(changes, time, MaxEntries, StringComparer.Ordinal);

    public long Generation => _callers.Generation;

    public bool TryGet(string hash, out Caller caller) => _callers.TryGet(hash, out caller);

    public void Remember(string hash, long generation, Caller caller) => _callers.Remember(hash, generation, caller);
}
