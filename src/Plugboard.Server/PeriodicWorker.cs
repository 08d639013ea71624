namespace Plugboard.Server;

/// A background job that runs every Interval on every replica: the refresh scan, webhook delivery, the backlog gauge.
/// It waits for the host to have started (a start that fails, such as a port already taken, disposes the services
/// without stopping the workers, which would then meet a disposed provider), then ticks first at a random point in
/// its first interval so replicas started together do not work in lockstep. A failed tick is reported and the next
/// one runs as usual.
public abstract class PeriodicWorker(IHostApplicationLifetime lifetime, TimeProvider time) : BackgroundService
{
    protected TimeProvider Time { get; } = time;

    protected abstract TimeSpan Interval { get; }

    protected virtual bool Enabled => true;

    protected abstract Task TickAsync(CancellationToken stoppingToken);

    protected abstract void TickFailed(Exception e);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled || !await StartedAsync(stoppingToken))
        {
            return;
        }
        await Task.Delay(Interval * Random.Shared.NextDouble(), Time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        using var timer = new PeriodicTimer(Interval, Time);
        do
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                TickFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default));
    }

    private async Task<bool> StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        await started.Task.ContinueWith(_ => { }, TaskScheduler.Default);
        return started.Task.IsCompletedSuccessfully;
    }
}
