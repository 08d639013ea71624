using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Platform;

namespace Plugboard.Server.OAuth;

/// Refreshes tokens before they expire, and touches every renewable connection at least daily (the
/// schedule's keep-alive), whether or not anything reads them. Every replica runs one; the lease
/// makes sure each connection is refreshed by one of them.
public sealed partial class RefreshWorker(
    IServiceScopeFactory scopes, TokenRefresher refresher, RefreshOptions options, TimeProvider time, IHostApplicationLifetime lifetime,
    ILogger<RefreshWorker> logger) : PeriodicWorker(lifetime, time)
{
    protected override TimeSpan Interval => options.WorkerInterval;

    protected override bool Enabled => options.WorkerEnabled;

    // A full batch handled means more may be due: keep going until the backlog is drained.
    protected override async Task TickAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested && await RunOnceAsync(stoppingToken) >= options.WorkerBatchSize)
        {
        }
    }

    protected override void TickFailed(Exception e) => Log.ScanFailed(logger, e.GetType().Name);

    /// One scan: the due, unleased, ACTIVE OAuth2 connections of enabled platforms, oldest due first, refreshed in
    /// parallel. A disabled platform's connections wait: nobody may use them, and the operator may be disabling it
    /// precisely to stop its traffic; enabling it again brings them back into the scan, due as they were.
    /// Returns how many it handled (not left to another replica, no exception).
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        List<string> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PlugboardDb>();
            due = await Due(db, Time.UtcNow())
                .Select(c => c.Id)
                .Take(options.WorkerBatchSize)
                .ToListAsync(ct);
        }
        // Replicas scanning at once see the same rows: each takes them in its own order, so they meet less on leases.
        Random.Shared.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(due));
        var handled = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = options.WorkerParallelism, CancellationToken = ct }, async (id, token) =>
        {
            try
            {
                if ((await refresher.RefreshDueAsync(id, token)).Result != RefreshResult.Busy)
                {
                    Interlocked.Increment(ref handled);
                }
            }
            catch (Exception e) when (!token.IsCancellationRequested)
            {
                Log.RefreshFailed(logger, id, e.GetType().Name);
            }
        });
        return handled;
    }

    /// What a scan takes, oldest due first: due by <see cref="RefreshDue"/>, and free to take now. Unscheduled rows
    /// are left to their first read (which schedules them); a leased row is another replica's; a disabled platform's wait.
    public static IQueryable<AppConnection> Due(PlugboardDb db, DateTime now) =>
        db.AppConnections.AsNoTracking()
            .Where(RefreshDue.DueAt(now))
            .Where(c => c.NextRefreshAt != null &&
                (c.RefreshLeaseUntil == null || c.RefreshLeaseUntil < now) &&
                !db.Set<PlatformEntity>().Any(p => p.Id == c.PlatformId && p.DisabledAt != null))
            .OrderBy(c => c.NextRefreshAt);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3101, Level = LogLevel.Error, Message = "The refresh scan failed ({ExceptionType})")]
        public static partial void ScanFailed(ILogger logger, string exceptionType);

        [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Refreshing connection {ConnectionId} failed ({ExceptionType})")]
        public static partial void RefreshFailed(ILogger logger, string connectionId, string exceptionType);
    }
}
