using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Outbox;

namespace Plugboard.Server.Webhooks;

/// connection.expiring: an ACTIVE OAuth2 token with nothing to renew it with (its refresh is scheduled at its expiry,
/// see TokenSchedule) that dies within ExpiringWithin. Written once per connection and expiry: the dedupe key holds
/// both, unique per endpoint, so replicas scanning together or a scan repeated write it once, and a reconnect that
/// brings a new expiry is a new event.
public static class ExpiringScan
{
    private const int BatchSize = 500;

    public static async Task<int> RunAsync(IServiceScopeFactory scopes, WebhookOptions options, TimeProvider time, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlugboardDb>();
        var platforms = await db.WebhookEndpoints.AsNoTracking().Where(e => e.Events.Contains(WebhookEvents.Expiring))
            .Select(e => e.PlatformId).Distinct().ToListAsync(ct);
        if (platforms.Count == 0)
        {
            return 0;
        }
        var now = time.UtcNow();
        var horizon = now + options.ExpiringWithin;
        var expiring = await db.AppConnections.AsNoTracking()
            .Where(c => platforms.Contains(c.PlatformId) &&
                (c.Type == ConnectionType.OAuth2 || c.Type == ConnectionType.CloudOAuth2 || c.Type == ConnectionType.PlatformOAuth2) &&
                c.Status == ConnectionStatus.Active && c.ExpiresAt != null && c.ExpiresAt > now && c.ExpiresAt <= horizon &&
                c.NextRefreshAt == c.ExpiresAt)
            .OrderBy(c => c.ExpiresAt)
            .Take(BatchSize)
            .ToListAsync(ct);
        var written = 0;
        foreach (var connection in expiring)
        {
            db.ChangeTracker.Clear();
            try
            {
                await db.AddEventAsync(time, connection, WebhookEvents.Expiring, ct, dedupeKey: $"expiring:{connection.Id}:{connection.ExpiresAt!.Value.Ticks}");
                written += await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation())
            {
                // Another replica wrote it first.
            }
        }
        db.ChangeTracker.Clear();
        return written;
    }
}
