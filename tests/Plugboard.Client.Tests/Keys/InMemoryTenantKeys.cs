using System.Collections.Concurrent;

namespace Plugboard.Client.Tests.Keys;

/// The app's store of tenants' own keys, as a test sets it; counts its lookups.
public sealed class InMemoryTenantKeys : ITenantApiKeyStore
{
    private int _lookups;

    public ConcurrentDictionary<string, string> Keys { get; } = new();

    public int Lookups => _lookups;

    public ValueTask<string?> FindApiKeyAsync(string tenantId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _lookups);
        return ValueTask.FromResult(Keys.TryGetValue(tenantId, out var key) ? key : null);
    }
}
