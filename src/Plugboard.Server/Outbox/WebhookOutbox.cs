using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Outbox;

/// The outbox writer. Adds one delivery per endpoint of the platform subscribed to the event, to the caller's unit of
/// work: they commit with the change that causes them, or not at all. Lives below the features that cause events
/// (Connections, OAuth) so they can call it; the delivery itself is the Webhooks folder's.
public static class WebhookOutbox
{
    /// The platform's endpoints subscribed to the event; with a dedupe key, those that have not had it yet.
    /// One indexed query, and nothing more, on a platform without endpoints.
    public static async Task<List<string>> SubscribersAsync(PlugboardDb db, string platformId, string type, CancellationToken ct, string? dedupeKey = null)
    {
        var deliveries = db.WebhookDeliveries;
        var endpoints = await db.WebhookEndpoints.AsNoTracking()
            .Where(e => e.PlatformId == platformId && e.Events.Contains(type))
            .Where(e => dedupeKey == null || !deliveries.Any(d => d.EndpointId == e.Id && d.DedupeKey == dedupeKey))
            .Select(e => new { e.Id, e.Events })
            .ToListAsync(ct);
        return [.. endpoints.Where(e => e.Events.Split(',').Contains(type, StringComparer.Ordinal)).Select(e => e.Id)];
    }

    public static void Add(PlugboardDb db, TimeProvider time, string platformId, string type, IReadOnlyList<string> endpointIds, object data,
        string? dedupeKey = null)
    {
        var now = time.UtcNow();
        var payload = JsonSerializer.Serialize(new { type, timestamp = now, data }, JsonDefaults.Options);
        foreach (var endpointId in endpointIds)
        {
            db.WebhookDeliveries.Add(new WebhookDelivery
            {
                Id = Ids.New(),
                PlatformId = platformId,
                EndpointId = endpointId,
                EventType = type,
                Payload = payload,
                DedupeKey = dedupeKey,
                Status = WebhookDeliveryStatus.Pending,
                NextAttemptAt = now,
                Created = now,
            });
        }
        if (endpointIds.Count > 0)
        {
            OutboxCommitInterceptor.Expect(db);
        }
    }
}
