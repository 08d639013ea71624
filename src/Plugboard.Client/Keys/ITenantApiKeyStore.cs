namespace Plugboard.Client;

/// <summary>Where the app keeps each tenant's own Plugboard API key (a database table, a secret store).
/// Implement it for <see cref="TenantKeyResolver"/>; register it before or after <c>AddPlugboardClient</c>.</summary>
public interface ITenantApiKeyStore
{
    /// <summary>The tenant's own key, or null when the tenant has not set one up.</summary>
    ValueTask<string?> FindApiKeyAsync(string tenantId, CancellationToken cancellationToken);
}
