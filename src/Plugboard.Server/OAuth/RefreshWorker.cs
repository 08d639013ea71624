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
    IServiceScopeFactory scopes, TokenRefresher refresher, RefreshOptions options, TimeProvider time, ILogger<RefreshWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.WorkerEnabled)
        {
            return;
        }
        // A jittered first tick, so replicas started together do not scan in lockstep.
        await Task.Delay(options.WorkerInterval * Random.Shared.NextDouble(), time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        using var timer = new PeriodicTimer(options.WorkerInterval, time);
        do
        {
            try
            {
                // A full batch handled means more may be due: keep going until the backlog is drained.
                while (!stoppingToken.IsCancellationRequested && await RunOnceAsync(stoppingToken) >= options.WorkerBatchSize)
                {
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                Log.ScanFailed(logger, e.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default));
    }

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
            due = await Due(db, time.UtcNow())
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
