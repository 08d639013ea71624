using Plugboard.Server.Audit;
using Plugboard.Server.Data;

namespace Plugboard.Server.Engine;

/// Drains <see cref="ReadAudit"/> every flush interval into `connection.read` audit rows, one per
/// (token, connection) and interval, carrying how many reads it stands for and when the first and last
/// happened. On shutdown whatever is queued is written before the process ends.
public sealed partial class ReadAuditWriter(ReadAudit audit, IServiceScopeFactory scopes, EngineOptions options, TimeProvider time,
    ILogger<ReadAuditWriter> logger) : BackgroundService
{
    public const string Action = "connection.read";
    public const string ProxyAction = "connection.proxied";
    private const int MaxBatch = 50_000;

    // One flush at a time: a flush that finds the queue empty returns only after the one in progress has
    // written its rows, so "flushed" means "readable" for whoever asked. Never disposed: a final flush on stop
    // may still be running when the host disposes its services, and it holds no wait handle.
    private readonly SemaphoreSlim _flushing = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = audit.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(options.AuditFlushInterval, time, stoppingToken);
                await FlushAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the final flush below writes what is left.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        audit.Complete();
        while (audit.Reader.TryPeek(out _))
        {
            await FlushAsync(cancellationToken);
        }
    }

    /// Writes what is queued now (at most one batch); returns how many reads it recorded.
    public async Task<int> FlushAsync(CancellationToken ct)
    {
        await _flushing.WaitAsync(ct);
        try
        {
            return await FlushBatchAsync(ct);
        }
        finally
        {
            _flushing.Release();
        }
    }

    private async Task<int> FlushBatchAsync(CancellationToken ct)
    {
        var reads = new List<ConnectionRead>();
        while (reads.Count < MaxBatch && audit.Reader.TryRead(out var read))
        {
            reads.Add(read);
        }
        if (reads.Count == 0)
        {
            return 0;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlugboardDb>();
            foreach (var group in reads.Where(r => r.Call is not null)
                .GroupBy(r => (r.PlatformId, r.ProjectId, r.ConnectionId, r.ActorType, r.TokenId, r.Call!.Method, r.Call.Host, r.Call.Path, r.Call.Status)))
            {
                var key = group.Key;
                db.AuditEvents.Add(AuditLog.Create(time, key.PlatformId, key.ActorType, key.TokenId, ProxyAction, "app_connection", key.ConnectionId, key.ProjectId,
                    new
                    {
                        group.First().ExternalId, key.Method, key.Host, key.Path, key.Status, Calls = group.Count(),
                        MaxMilliseconds = Math.Round(group.Max(r => r.Call!.Milliseconds), 1), FirstCallAt = group.Min(r => r.At), LastCallAt = group.Max(r => r.At),
                    }));
            }
            foreach (var group in reads.Where(r => r.Call is null).GroupBy(r => (r.PlatformId, r.ProjectId, r.ConnectionId, r.TokenId)))
            {
                var first = group.Min(r => r.At);
                var last = group.Max(r => r.At);
                var entry = AuditLog.Create(time, group.Key.PlatformId, EngineCaller.ActorType, group.Key.TokenId, Action,
                    "app_connection", group.Key.ConnectionId, group.Key.ProjectId,
                    new { group.First().ExternalId, Reads = group.Count(), FirstReadAt = first, LastReadAt = last });
                db.AuditEvents.Add(entry);
            }
            await db.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFlushFailed(logger, reads.Count, e.GetType().Name);
        }
        return reads.Count;
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Could not write {Count} engine-read audit entries ({ErrorType}).")]
    private static partial void LogFlushFailed(ILogger logger, int count, string errorType);
}
