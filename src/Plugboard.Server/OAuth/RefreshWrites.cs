using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Data;

namespace Plugboard.Server.OAuth;

/// The refresher's statements. Each is one UPDATE scoped to the row and guarded by the version the
/// refresher read (compare-and-swap), and each ends the lease it held.
public static class RefreshWrites
{
    /// The lease: taken only when free or lapsed, so a dead replica blocks a connection for one lease at most.
    public static async Task<bool> TryTakeLeaseAsync(PlugboardDb db, string id, string owner, DateTime now, TimeSpan duration, CancellationToken ct) =>
        await db.AppConnections
            .Where(c => c.Id == id && (c.RefreshLeaseUntil == null || c.RefreshLeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.RefreshLeaseOwner, owner).SetProperty(c => c.RefreshLeaseUntil, now + duration), ct) == 1;

    public static Task<int> ReleaseLeaseAsync(PlugboardDb db, string id, string owner, CancellationToken ct) =>
        db.AppConnections
            .Where(c => c.Id == id && c.RefreshLeaseOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.RefreshLeaseOwner, (string?)null).SetProperty(c => c.RefreshLeaseUntil, (DateTime?)null), ct);

    /// New tokens: committed before anyone is handed them. Bumps the version, clears failures and reason.
    public static async Task<bool> StoreTokensAsync(PlugboardDb db, AppConnection row, long version, string ciphertext, TokenSchedule schedule, DateTime now, CancellationToken ct) =>
        await db.AppConnections
            .Where(c => c.Id == row.Id && c.Version == version)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Value, ciphertext)
                .SetProperty(c => c.Version, c => c.Version + 1)
                .SetProperty(c => c.ExpiresAt, schedule.ExpiresAt)
                .SetProperty(c => c.NextRefreshAt, schedule.NextRefreshAt)
                .SetProperty(c => c.LastRefreshedAt, now)
                .SetProperty(c => c.Status, ConnectionStatus.Active)
                .SetProperty(c => c.StatusReason, (string?)null)
                .SetProperty(c => c.RefreshFailureCount, 0)
                .SetProperty(c => c.RefreshFailureDays, 0)
                .SetProperty(c => c.LastRefreshFailureAt, (DateTime?)null)
                .SetProperty(c => c.RefreshIndeterminateAt, (DateTime?)null)
                .SetProperty(c => c.RefreshLeaseOwner, (string?)null)
                .SetProperty(c => c.RefreshLeaseUntil, (DateTime?)null)
                .SetProperty(c => c.Updated, now), ct) == 1;

    public static async Task<bool> RescheduleAsync(PlugboardDb db, AppConnection row, TokenSchedule schedule, CancellationToken ct) =>
        await db.AppConnections
            .Where(c => c.Id == row.Id && c.Version == row.Version)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.ExpiresAt, schedule.ExpiresAt)
                .SetProperty(c => c.NextRefreshAt, schedule.NextRefreshAt)
                .SetProperty(c => c.RefreshLeaseOwner, (string?)null)
                .SetProperty(c => c.RefreshLeaseUntil, (DateTime?)null), ct) == 1;

    /// `indeterminateAt`: when an attempt's answer was lost, kept until a determinate answer settles it (see AppConnection).
    public static async Task<bool> RecordTransientAsync(PlugboardDb db, AppConnection row, int failures, int failureDays, DateTime retryAt, string reason,
        DateTime? indeterminateAt, DateTime now, CancellationToken ct) =>
        await db.AppConnections
            .Where(c => c.Id == row.Id && c.Version == row.Version)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.RefreshIndeterminateAt, indeterminateAt)
                .SetProperty(c => c.RefreshFailureCount, failures)
                .SetProperty(c => c.RefreshFailureDays, failureDays)
                .SetProperty(c => c.LastRefreshFailureAt, now)
                .SetProperty(c => c.NextRefreshAt, retryAt)
                .SetProperty(c => c.StatusReason, Truncate(reason))
                .SetProperty(c => c.RefreshLeaseOwner, (string?)null)
                .SetProperty(c => c.RefreshLeaseUntil, (DateTime?)null), ct) == 1;

    /// ERROR, with the reason and when: no more attempts until new credentials are upserted.
    public static async Task<bool> MarkErrorAsync(PlugboardDb db, AppConnection row, string reason, DateTime now, CancellationToken ct) =>
        await db.AppConnections
            .Where(c => c.Id == row.Id && c.Version == row.Version)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, ConnectionStatus.Error)
                .SetProperty(c => c.StatusReason, Truncate(reason))
                .SetProperty(c => c.StatusChangedAt, now)
                .SetProperty(c => c.NextRefreshAt, (DateTime?)null)
                .SetProperty(c => c.RefreshIndeterminateAt, (DateTime?)null)
                .SetProperty(c => c.RefreshLeaseOwner, (string?)null)
                .SetProperty(c => c.RefreshLeaseUntil, (DateTime?)null)
                .SetProperty(c => c.Updated, now), ct) == 1;

    private static string Truncate(string reason) => reason.Length <= Lengths.Reason ? reason : reason[..Lengths.Reason];
}
