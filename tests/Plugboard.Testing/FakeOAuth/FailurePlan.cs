using System.Collections.Concurrent;

namespace Plugboard.Testing.FakeOAuth;

/// Which /token calls fail: queued failures first, then a random fraction alternating 500 and 429.
internal sealed class FailurePlan
{
    private readonly ConcurrentQueue<FakeFailure> _queued = new();
    private double _transientFailureRate;
    private long _transientCount;

    public double TransientFailureRate
    {
        get => Volatile.Read(ref _transientFailureRate);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 0);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1);
            Volatile.Write(ref _transientFailureRate, value);
        }
    }

    public void FailNext(int count, FakeFailure failure)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        for (var i = 0; i < count; i++)
        {
            _queued.Enqueue(failure);
        }
    }

    public void Clear() => _queued.Clear();

    public FakeFailure? Next()
    {
        if (_queued.TryDequeue(out var queued))
        {
            return queued;
        }
        var rate = TransientFailureRate;
        if (rate <= 0 || Random.Shared.NextDouble() >= rate)
        {
            return null;
        }
        return Interlocked.Increment(ref _transientCount) % 2 == 1 ? FakeFailure.ServerError : FakeFailure.TooManyRequests;
    }
}
