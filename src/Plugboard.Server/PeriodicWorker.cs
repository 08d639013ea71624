namespace Plugboard.Server;

/// A background job that runs every Interval on every replica: the refresh scan, webhook delivery, the backlog gauge.
/// It waits for the host to have started (a start that fails, such as a port already taken, disposes the services
/// without stopping the workers, which would then meet a disposed provider), then ticks first at a random point in
/// its first interval so replicas started together do not work in lockstep. A failed tick is reported and the next
/// one runs as usual. <see cref="WakeUp"/> runs the next tick now rather than at the interval (wake-ups that arrive
/// during a tick make one more tick).
public abstract class PeriodicWorker(IHostApplicationLifetime lifetime, TimeProvider time) : BackgroundService
{
    // Not disposed: a commit may still wake the worker while the host shuts down, and it holds no handle.
    private readonly SemaphoreSlim _wake = new(0, 1);

    protected TimeProvider Time { get; } = time;

    protected abstract TimeSpan Interval { get; }

    protected virtual bool Enabled => true;

    protected abstract Task TickAsync(CancellationToken stoppingToken);

    protected abstract void TickFailed(Exception e);

    protected void WakeUp()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // another wake-up got there first: one tick serves both
            }
        }
    }

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled || !await StartedAsync(stoppingToken))
        {
            return;
        }
        // Each wait is kept until it completes: a PeriodicTimer allows one outstanding wait, and an abandoned wait on
        // the semaphore would swallow the next wake-up.
        Task? wake = _wake.WaitAsync(stoppingToken);
        await Task.WhenAny(Task.Delay(Interval * Random.Shared.NextDouble(), Time, stoppingToken), wake);
        if (wake.IsCompleted)
        {
            wake = null;
        }
        using var timer = new PeriodicTimer(Interval, Time);
        Task<bool>? tick = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                TickFailed(e);
            }
            tick ??= timer.WaitForNextTickAsync(stoppingToken).AsTask();
            wake ??= _wake.WaitAsync(stoppingToken);
            await Task.WhenAny(tick, wake);
            if (tick.IsCompleted)
            {
                if (!tick.IsCompletedSuccessfully || !tick.Result)
                {
                    return;
                }
                tick = null;
            }
            if (wake.IsCompleted)
            {
                wake = null;
            }
        }
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
