using System.Threading.RateLimiting;

namespace Plugboard.Server.Http;

/// A token bucket that refills on the app's TimeProvider, so tests move its time instead of waiting for it:
/// System.Threading.RateLimiting's own buckets refill on a Stopwatch that nothing can move. It holds `burst`
/// requests and gains one every period, continuously: what it holds is worked out from the time passed whenever
/// it is asked, so there is no timer. No queue: a request over the limit is refused at once.
internal sealed class ClockedTokenBucket(ClockedTokenBucket.Shape shape) : RateLimiter
{
    private static readonly Lease Acquired = new(retryAfter: null);

    private readonly Lock _lock = new();
    // Credit is time in the clock's timestamp units, a permit costing one period of it, so refilling is exact
    // integer addition. _credit is what the bucket held at _creditAt; from then on it grows by the time passed.
    private long _credit = shape.Capacity;
    private long _creditAt = shape.Time.GetTimestamp();
    private long _successful;
    private long _failed;

    /// How long it has been full: the partitioned limiter drops a partition idle for long, to make a new, full one.
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                var now = Refill();
                return _credit == shape.Capacity ? shape.Time.GetElapsedTime(_creditAt, now) : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            Refill();
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = _credit / shape.PermitCost,
                CurrentQueuedCount = 0,
                TotalSuccessfulLeases = _successful,
                TotalFailedLeases = _failed,
            };
        }
    }

    /// Zero permits asks "is it open?": yes while one whole permit is left.
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, shape.Burst);
        var cost = Math.Max(permitCount, 1) * shape.PermitCost;
        lock (_lock)
        {
            var now = Refill();
            if (_credit >= cost)
            {
                // Spent from now: a full bucket is dated from when it filled, which would count the idle time twice.
                _creditAt = now;
                _credit -= permitCount * shape.PermitCost;
                _successful++;
                return Acquired;
            }
            _failed++;
            return permitCount <= 1 ? shape.RefusedOne : shape.Refused(permitCount - (int)(_credit / shape.PermitCost));
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    /// Brings the credit up to now, full at most. Once full it stays dated from the moment it filled, which is
    /// what <see cref="IdleDuration"/> measures from. Returns now.
    private long Refill()
    {
        var now = shape.Time.GetTimestamp();
        var missing = shape.Capacity - _credit;
        var passed = now - _creditAt;
        if (passed >= missing)
        {
            _creditAt += missing;
            _credit = shape.Capacity;
        }
        else if (passed > 0)
        {
            _creditAt = now;
            _credit += passed;
        }
        return now;
    }

    /// What every bucket of one limit shares: its clock, size and period, and its refusal.
    internal sealed class Shape
    {
        public Shape(TimeProvider time, int perMinute, int burst)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(perMinute, 1);
            ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
            Time = time;
            Burst = burst;
            Period = TimeSpan.FromTicks(TimeSpan.TicksPerMinute / perMinute);
            PermitCost = Math.Max(1, (long)((Int128)Period.Ticks * time.TimestampFrequency / TimeSpan.TicksPerSecond));
            Capacity = checked(burst * PermitCost);
            RefusedOne = Refused(1);
        }

        public TimeProvider Time { get; }
        public int Burst { get; }
        /// The time one permit takes to come back.
        public TimeSpan Period { get; }
        /// <see cref="Period"/> in the clock's timestamp units.
        public long PermitCost { get; }
        public long Capacity { get; }
        /// Made once: refusals are what a flood is made of.
        public RateLimitLease RefusedOne { get; }

        /// Retry-After as System.Threading.RateLimiting's bucket gives it, which the 429's header has always been:
        /// a whole period per permit missing, the part of the next one already back not counted.
        public RateLimitLease Refused(int missingPermits) => new Lease(TimeSpan.FromTicks(Period.Ticks * Math.Max(missingPermits, 1)));
    }

    private sealed class Lease(TimeSpan? retryAfter) : RateLimitLease
    {
        private static readonly string[] RetryAfterOnly = [MetadataName.RetryAfter.Name];

        public override bool IsAcquired => retryAfter is null;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : RetryAfterOnly;

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter is { } after && metadataName == MetadataName.RetryAfter.Name ? after : null;
            return metadata is not null;
        }
    }
}
