namespace Plugboard.Client;

/// One key for every request (an API key, an operator key, an embedded session token or an engine token).
internal sealed class FixedKeyResolver(string key) : IPlugboardKeyResolver
{
    public ValueTask<string> GetApiKeyAsync(string? tenantId, CancellationToken cancellationToken) => ValueTask.FromResult(key);
}
