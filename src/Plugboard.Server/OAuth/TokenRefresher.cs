using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Telemetry;

namespace Plugboard.Server.OAuth;

/// Keeps OAuth2 tokens fresh, one refresh at a time per connection across every replica:
/// in-process single-flight, then a lease row in the database, a re-read once it is held, and a
/// compare-and-swap on the version when writing back. A global connection shared by many projects is
/// one row, so one lease (the reference locked per project and raced).
public sealed class TokenRefresher(
    IServiceScopeFactory scopes, RefreshOptions options, TimeProvider time, IHostApplicationLifetime? lifetime = null)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<RefreshOutcome>>> _inFlight = new();

    /// Names this process in lease rows.
    public string ReplicaId { get; } = $"{Environment.ProcessId}-{Guid.NewGuid():N}";

    /// Refresh when due (or, forced, unless someone refreshed since the call began), waiting for another
    /// replica's refresh to finish instead of starting a second one. What reads and the admin route use.
    public Task<RefreshOutcome> RefreshAsync(string connectionId, bool force, CancellationToken ct) =>
        SingleFlight(connectionId, force, waitForLease: true).WaitAsync(ct);

    /// The background worker's call: when another replica holds the lease, leave the connection to it.
    public Task<RefreshOutcome> RefreshDueAsync(string connectionId, CancellationToken ct) =>
        SingleFlight(connectionId, force: false, waitForLease: false).WaitAsync(ct);

    /// Concurrent callers share one task. It runs on the host's lifetime, not a caller's token, so a
    /// caller giving up cannot abandon a refresh half-way.
    private Task<RefreshOutcome> SingleFlight(string id, bool force, bool waitForLease)
    {
        var key = force ? $"{id}:force" : id;
        Lazy<Task<RefreshOutcome>> mine = null!;
        mine = new Lazy<Task<RefreshOutcome>>(async () =>
        {
            try
            {
                var outcome = await RunAsync(id, force, waitForLease, lifetime?.ApplicationStopping ?? CancellationToken.None);
                // Once per refresh, however many callers shared it.
                PlugboardMetrics.Refresh(OutcomeTag(outcome.Result));
                return outcome;
            }
            finally
            {
                _inFlight.TryRemove(KeyValuePair.Create(key, mine));
            }
        });
        return _inFlight.GetOrAdd(key, mine).Value;
    }

    private async Task<RefreshOutcome> RunAsync(string id, bool force, bool waitForLease, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlugboardDb>();
        var row = await ReadAsync(db, id, ct);
        if (row is null || !row.IsOAuth)
        {
            return new RefreshOutcome(row is null ? RefreshResult.NotFound : RefreshResult.NotOAuth, row);
        }
        var askedAt = row.Version;
        var waitingSince = time.GetTimestamp();
        var pause = TimeSpan.FromMilliseconds(25);
        var contended = false;
        while (true)
        {
            if (NothingToDo(row, force, askedAt) is { } skip)
            {
                return skip;
            }
            if (await RefreshWrites.TryTakeLeaseAsync(db, id, ReplicaId, time.UtcNow(), options.LeaseDuration, ct))
            {
                break;
            }
            if (!contended)
            {
                contended = true;
                PlugboardMetrics.LeaseContention.Add(1);
            }
            if (!waitForLease || time.GetElapsedTime(waitingSince) > options.LeaseDuration + TimeSpan.FromSeconds(5))
            {
                return new RefreshOutcome(RefreshResult.Busy, row);
            }
            await Task.Delay(pause, time, ct);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 500));
            row = await ReadAsync(db, id, ct);
            if (row is null)
            {
                return new RefreshOutcome(RefreshResult.NotFound, null);
            }
        }

        try
        {
            // Re-read under the lease: whoever held it before may have refreshed already.
            row = await ReadAsync(db, id, ct);
            if (row is null)
            {
                return new RefreshOutcome(RefreshResult.NotFound, null);
            }
            if (NothingToDo(row, force, askedAt) is { } skip)
            {
                return skip;
            }
            if (row.NextRefreshAt is { } due)
            {
                PlugboardMetrics.RefreshLag.Record(Math.Max(0, (time.UtcNow() - due).TotalSeconds));
            }
            var refresh = scope.ServiceProvider.GetRequiredService<LeasedRefresh>();
            return await refresh.RunAsync(row, force, ct);
        }
        finally
        {
            // A no-op when the write-back already ended the lease.
            await RefreshWrites.ReleaseLeaseAsync(db, id, ReplicaId, CancellationToken.None);
        }
    }

    /// `RefreshedElsewhere` as `refreshed_elsewhere`: the metric's outcome tag.
    private static string OutcomeTag(RefreshResult result) =>
        System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(result.ToString());

    private RefreshOutcome? NothingToDo(AppConnection row, bool force, long askedAt)
    {
        if (row.Status == ConnectionStatus.Error)
        {
            return new RefreshOutcome(RefreshResult.InError, row, row.StatusReason);
        }
        if (row.Status == ConnectionStatus.Missing)
        {
            return new RefreshOutcome(RefreshResult.NotDue, row);
        }
        if (row.Version != askedAt)
        {
            return new RefreshOutcome(RefreshResult.RefreshedElsewhere, row);
        }
        return force || RefreshDue.IsDue(row, time.UtcNow()) ? null : new RefreshOutcome(RefreshResult.NotDue, row);
    }

    private static Task<AppConnection?> ReadAsync(PlugboardDb db, string id, CancellationToken ct) =>
        db.AppConnections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
}
