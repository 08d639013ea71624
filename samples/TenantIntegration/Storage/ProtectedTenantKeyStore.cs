using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Plugboard.Client;

namespace Plugboard.Samples.TenantIntegration.Storage;

/// Each tenant's own Plugboard API key, encrypted with ASP.NET Core Data Protection. The protector's purpose chain
/// ends with the tenant id, so a ciphertext copied into another tenant's row does not decrypt there. The SDK's
/// TenantKeyResolver asks <see cref="FindApiKeyAsync"/> before every request of a tenant's client.
public sealed class ProtectedTenantKeyStore(IDbContextFactory<SampleDb> dbs, IDataProtectionProvider protection, TimeProvider time)
    : ITenantApiKeyStore
{
    public const string Purpose = "Plugboard.TenantApiKeys";

    public async ValueTask<string?> FindApiKeyAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var stored = await db.Integrations.AsNoTracking().Where(r => r.TenantId == tenantId).Select(r => r.ProtectedApiKey).FirstOrDefaultAsync(cancellationToken);
        // A key that no longer decrypts (a lost key ring) throws: the tenant set up a key of its own, and quietly
        // falling back to the global key would send its requests with a key it never chose.
        return stored is null ? null : ProtectorFor(tenantId).Unprotect(stored);
    }

    /// Stores (or replaces) the tenant's key; the integration's id stays the same across replacements.
    public async Task<string> SaveAsync(string tenantId, string? organizationId, string apiKey, CancellationToken ct)
    {
        var protectedKey = ProtectorFor(tenantId).Protect(apiKey);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbs.CreateDbContextAsync(ct);
        for (var attempt = 0; ; attempt++)
        {
            var updated = await db.Integrations.Where(r => r.TenantId == tenantId).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.ProtectedApiKey, protectedKey)
                .SetProperty(r => r.OrganizationId, organizationId)
                .SetProperty(r => r.Updated, now), ct);
            if (updated == 0)
            {
                db.Integrations.Add(new TenantIntegrationRow
                {
                    TenantId = tenantId, IntegrationTenantId = Guid.NewGuid().ToString(), OrganizationId = organizationId,
                    ProtectedApiKey = protectedKey, Created = now, Updated = now,
                });
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException) when (attempt == 0)
                {
                    // The same tenant's setup arrived twice at once and the other one inserted first: update that row.
                    db.ChangeTracker.Clear();
                    continue;
                }
            }
            return await db.Integrations.AsNoTracking().Where(r => r.TenantId == tenantId).Select(r => r.IntegrationTenantId).SingleAsync(ct);
        }
    }

    /// The organization the tenant set up with, if any.
    public async Task<string?> FindOrganizationAsync(string tenantId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Integrations.AsNoTracking().Where(r => r.TenantId == tenantId).Select(r => r.OrganizationId).FirstOrDefaultAsync(ct);
    }

    private IDataProtector ProtectorFor(string tenantId) => protection.CreateProtector(Purpose, tenantId);
}
