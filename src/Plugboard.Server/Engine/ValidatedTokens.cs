using Plugboard.Server.Data;

namespace Plugboard.Server.Engine;

/// Engine tokens this process has already validated, until they expire: a running flow presents the same token
/// on every step, and checking its signature and claims once is enough (the token cannot change, and the
/// disabled-platform check still runs on every request). Bounded: when full it starts again empty.
public sealed class ValidatedTokens(TimeProvider time)
{
    public const int MaxEntries = 10_000;

    private readonly ExpiringMap<string, EngineCaller> _callers = new(time, MaxEntries, StringComparer.Ordinal);

    public EngineCaller? Find(string token) => _callers.TryGet(token, out var caller) ? caller : null;

    public void Remember(string token, EngineCaller caller, DateTimeOffset expiresAt) => _callers.Set(token, caller, expiresAt);
}
