using Microsoft.Extensions.Options;

namespace Plugboard.Client;

/// <summary>The two-tier rule: the tenant's own key from the app's <see cref="ITenantApiKeyStore"/>, else
/// the configured global key (<c>Plugboard:GlobalApiKey</c>), else <see cref="PlugboardNotConfiguredException"/>.
/// The unbound client (no tenant) uses the global key.</summary>
public sealed class TenantKeyResolver : IPlugboardKeyResolver
{
    private readonly ITenantApiKeyStore? _store;
    private readonly IOptionsMonitor<PlugboardClientOptions> _options;

    /// <summary>A resolver over the app's store; without a store every tenant uses the global key.</summary>
    public TenantKeyResolver(IOptionsMonitor<PlugboardClientOptions> options, ITenantApiKeyStore? store = null)
    {
        _options = options;
        _store = store;
    }

    /// <inheritdoc/>
    public async ValueTask<string> GetApiKeyAsync(string? tenantId, CancellationToken cancellationToken)
    {
        if (tenantId is not null && _store is not null)
        {
            var own = await _store.FindApiKeyAsync(tenantId, cancellationToken);
            if (!string.IsNullOrWhiteSpace(own))
            {
                return own;
            }
        }
        var global = _options.CurrentValue.GlobalApiKey;
        return string.IsNullOrWhiteSpace(global) ? throw new PlugboardNotConfiguredException(tenantId) : global;
    }
}
