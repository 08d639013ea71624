using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;
using Plugboard.Server.Outbox;

namespace Plugboard.Server.Webhooks;

/// The delivery worker's statements. Each is one UPDATE scoped to the row; the lease makes one replica the sender of
/// a delivery at a time, and lapses, so a replica that dies mid-delivery blocks it for one lease at most.
public static class WebhookWrites
{
    /// Taken only when the delivery is pending, due and its lease free or lapsed: on both engines a conditional UPDATE
    /// that one replica wins.
    public static async Task<bool> TryClaimAsync(PlugboardDb db, string id, string owner, DateTime now, TimeSpan lease, CancellationToken ct) =>
        await db.WebhookDeliveries
            .Where(d => d.Id == id && d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now &&
                (d.LeaseUntil == null || d.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseOwner, owner).SetProperty(d => d.LeaseUntil, now + lease), ct) == 1;

    /// The attempt and the delivery's new state, together; only while this replica still holds the lease (a lapsed
    /// lease taken over by another replica means that one records its own attempt).
    public static async Task<bool> RecordAsync(PlugboardDb db, WebhookDelivery delivery, string owner, WebhookAttempt attempt,
        WebhookDeliveryStatus status, DateTime nextAttemptAt, DateTime? completedAt, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var updated = await db.WebhookDeliveries
            .Where(d => d.Id == delivery.Id && d.LeaseOwner == owner && d.Status == WebhookDeliveryStatus.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, status)
                .SetProperty(d => d.AttemptCount, d => d.AttemptCount + 1)
                .SetProperty(d => d.NextAttemptAt, nextAttemptAt)
                .SetProperty(d => d.CompletedAt, completedAt)
                .SetProperty(d => d.LeaseOwner, (string?)null)
                .SetProperty(d => d.LeaseUntil, (DateTime?)null), ct);
        if (updated == 0)
        {
            return false;
        }
        db.WebhookAttempts.Add(attempt);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }
}
