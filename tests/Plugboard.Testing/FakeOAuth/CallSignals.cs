namespace Plugboard.Testing.FakeOAuth;

/// What tests wait on instead of sleeping: a token call arriving, the provider having no call left to answer,
/// and a hold on replies that the test itself releases.
internal sealed class CallSignals
{
    private readonly Lock _lock = new();
    private readonly List<(string ClientId, string GrantType, TaskCompletionSource Arrived)> _arrivals = [];
    private readonly List<TaskCompletionSource> _idle = [];
    private TaskCompletionSource? _hold;
    private int _inFlight;

    public Task WhenCalledAsync(string clientId, string grantType)
    {
        var arrived = NewSignal();
        lock (_lock)
        {
            _arrivals.Add((clientId, grantType, arrived));
        }
        return arrived.Task;
    }

    public Task WhenIdleAsync()
    {
        lock (_lock)
        {
            if (_inFlight == 0)
            {
                return Task.CompletedTask;
            }
            var idle = NewSignal();
            _idle.Add(idle);
            return idle.Task;
        }
    }

    public IDisposable HoldReplies()
    {
        var hold = NewSignal();
        lock (_lock)
        {
            _hold = hold;
        }
        return new Release(() =>
        {
            lock (_lock)
            {
                if (_hold == hold)
                {
                    _hold = null;
                }
            }
            hold.TrySetResult();
        });
    }

    public Task HeldAsync(CancellationToken ct)
    {
        lock (_lock)
        {
            return _hold is null ? Task.CompletedTask : _hold.Task.WaitAsync(ct);
        }
    }

    public void Entered()
    {
        lock (_lock)
        {
            _inFlight++;
        }
    }

    public void Identified(string? clientId, string grantType)
    {
        List<TaskCompletionSource> matched;
        lock (_lock)
        {
            matched = [.. _arrivals.Where(a => a.ClientId == clientId && a.GrantType == grantType).Select(a => a.Arrived)];
            _arrivals.RemoveAll(a => matched.Contains(a.Arrived));
        }
        matched.ForEach(m => m.TrySetResult());
    }

    public void Left()
    {
        List<TaskCompletionSource> idle = [];
        lock (_lock)
        {
            if (--_inFlight == 0)
            {
                idle = [.. _idle];
                _idle.Clear();
            }
        }
        idle.ForEach(i => i.TrySetResult());
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Release(Action release) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                release();
            }
        }
    }
}
