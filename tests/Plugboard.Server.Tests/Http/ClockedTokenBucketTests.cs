using System.Threading.RateLimiting;
using Microsoft.Extensions.Time.Testing;
using Plugboard.Server.Http;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Http;

/// The rate limits' bucket on a clock the tests move: 60 per minute is one permit back every second.
public sealed class ClockedTokenBucketTests
{
    private readonly FakeTimeProvider _time = TestClock.StartingNow();

    [Fact]
    public void AttemptAcquire_WithinTheBurst_IsAcquiredThenRefused()
    {
        var bucket = Bucket(perMinute: 60, burst: 3);

        for (var i = 0; i < 3; i++)
        {
            using var lease = bucket.AttemptAcquire();
            Assert.True(lease.IsAcquired, $"request {i + 1} of the burst");
        }
        using var refused = bucket.AttemptAcquire();

        Assert.False(refused.IsAcquired);
    }

    [Fact]
    public void AttemptAcquire_APeriodLater_AllowsOneMore()
    {
        var bucket = Spent(perMinute: 60, burst: 3);

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(bucket.AttemptAcquire().IsAcquired);
        Assert.False(bucket.AttemptAcquire().IsAcquired);
    }

    [Fact]
    public void AttemptAcquire_PartOfAPeriodLater_IsRefusedUntilTheRestHasPassed()
    {
        var bucket = Spent(perMinute: 60, burst: 3);

        _time.Advance(TimeSpan.FromMilliseconds(600));
        Assert.False(bucket.AttemptAcquire().IsAcquired);
        _time.Advance(TimeSpan.FromMilliseconds(399));
        Assert.False(bucket.AttemptAcquire().IsAcquired);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        // The part refilled before a refusal is kept, not lost.
        Assert.True(bucket.AttemptAcquire().IsAcquired);
    }

    [Fact]
    public void AttemptAcquire_LongIdle_RefillsToTheBurstOnly()
    {
        var bucket = Spent(perMinute: 60, burst: 3);

        _time.Advance(TimeSpan.FromHours(5));

        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => bucket.AttemptAcquire().IsAcquired));
    }

    [Fact]
    public void GetStatistics_AsPermitsAreSpentAndComeBack_CountsWholePermitsAndLeases()
    {
        var bucket = Bucket(perMinute: 60, burst: 5);
        Assert.Equal(5, bucket.GetStatistics()!.CurrentAvailablePermits);

        bucket.AttemptAcquire(2).Dispose();
        Assert.Equal(3, bucket.GetStatistics()!.CurrentAvailablePermits);

        bucket.AttemptAcquire(3).Dispose();
        bucket.AttemptAcquire().Dispose();
        _time.Advance(TimeSpan.FromMilliseconds(1500));
        var stats = bucket.GetStatistics()!;

        // One and a half permits back: the guard on failed credentials reads "less than one" as closed.
        Assert.Equal(1, stats.CurrentAvailablePermits);
        Assert.Equal(0, stats.CurrentQueuedCount);
        Assert.Equal(2, stats.TotalSuccessfulLeases);
        Assert.Equal(1, stats.TotalFailedLeases);
    }

    [Theory]
    [InlineData(5, 5, 1, 12)]
    [InlineData(120, 120, 1, 0.5)]
    [InlineData(10, 5, 1, 6)]
    [InlineData(3, 3, 2, 40)]
    public void AttemptAcquire_Refused_RetryAfterIsWhatSystemThreadingRateLimitingGives(int perMinute, int burst, int permits, double seconds)
    {
        var bucket = Spent(perMinute, burst);
        using var builtIn = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromTicks(TimeSpan.TicksPerMinute / perMinute),
            QueueLimit = 0,
            AutoReplenishment = false,
        });
        builtIn.AttemptAcquire(burst).Dispose();

        using var refused = bucket.AttemptAcquire(permits);
        using var builtInRefused = builtIn.AttemptAcquire(permits);

        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.True(builtInRefused.TryGetMetadata(MetadataName.RetryAfter, out var builtInRetryAfter));
        Assert.Equal(builtInRetryAfter, retryAfter);
        Assert.Equal(TimeSpan.FromSeconds(seconds), retryAfter);
        Assert.Equal([MetadataName.RetryAfter.Name], refused.MetadataNames);
    }

    [Fact]
    public void AttemptAcquire_RefusedWithPartOfThePeriodBack_RetryAfterIsStillAWholePeriod()
    {
        var bucket = Spent(perMinute: 5, burst: 5);
        _time.Advance(TimeSpan.FromSeconds(7));

        using var refused = bucket.AttemptAcquire();

        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(12), retryAfter);
    }

    [Fact]
    public void AttemptAcquire_Acquired_HasNoMetadata()
    {
        using var lease = Bucket(perMinute: 60, burst: 1).AttemptAcquire();

        Assert.True(lease.IsAcquired);
        Assert.Empty(lease.MetadataNames);
        Assert.False(lease.TryGetMetadata(MetadataName.RetryAfter, out _));
    }

    [Fact]
    public void AttemptAcquire_ZeroPermits_IsOpenWhileOneWholePermitIsLeftAndTakesNothing()
    {
        var bucket = Bucket(perMinute: 60, burst: 1);

        Assert.True(bucket.AttemptAcquire(0).IsAcquired);
        Assert.Equal(1, bucket.GetStatistics()!.CurrentAvailablePermits);
        bucket.AttemptAcquire().Dispose();
        _time.Advance(TimeSpan.FromMilliseconds(900));

        Assert.False(bucket.AttemptAcquire(0).IsAcquired);
    }

    [Fact]
    public void AttemptAcquire_MorePermitsThanTheBurst_Throws()
    {
        var bucket = Bucket(perMinute: 60, burst: 3);

        Assert.Throws<ArgumentOutOfRangeException>(() => bucket.AttemptAcquire(4));
    }

    [Fact]
    public async Task AcquireAsync_OverTheLimit_IsRefusedAtOnceWithoutQueueing()
    {
        var bucket = Spent(perMinute: 60, burst: 2);

        var pending = bucket.AcquireAsync();

        Assert.True(pending.IsCompleted);
        using var refused = await pending;
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(1), retryAfter);
    }

    [Fact]
    public void IdleDuration_FullAgain_IsTheTimeSinceItFilled()
    {
        var bucket = Bucket(perMinute: 60, burst: 2);
        Assert.Equal(TimeSpan.Zero, bucket.IdleDuration);

        bucket.AttemptAcquire().Dispose();
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Null(bucket.IdleDuration);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(TimeSpan.Zero, bucket.IdleDuration);
        _time.Advance(TimeSpan.FromSeconds(30));
        _ = bucket.GetStatistics();
        _time.Advance(TimeSpan.FromSeconds(15));

        Assert.Equal(TimeSpan.FromSeconds(45), bucket.IdleDuration);
    }

    [Fact]
    public async Task AttemptAcquire_FromManyThreadsAtOnce_HandsOutExactlyTheBurst()
    {
        var bucket = Bucket(perMinute: 1_000, burst: 1_000);
        var acquired = 0;

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                if (bucket.AttemptAcquire().IsAcquired)
                {
                    Interlocked.Increment(ref acquired);
                }
            }
        })));

        Assert.Equal(1_000, acquired);
        Assert.Equal(0, bucket.GetStatistics()!.CurrentAvailablePermits);
    }

    [Fact]
    public void Bucket_InAPartitionedLimiter_EachKeyHasItsOwn()
    {
        var factory = RateLimitState.Bucket(_time, perMinute: 60, burst: 1);
        using var limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.Get(key, factory));

        Assert.True(limiter.AttemptAcquire("a").IsAcquired);
        Assert.False(limiter.AttemptAcquire("a").IsAcquired);
        Assert.True(limiter.AttemptAcquire("b").IsAcquired);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.AttemptAcquire("a").IsAcquired);
    }

    private ClockedTokenBucket Bucket(int perMinute, int burst) => new(new ClockedTokenBucket.Shape(_time, perMinute, burst));

    private ClockedTokenBucket Spent(int perMinute, int burst)
    {
        var bucket = Bucket(perMinute, burst);
        Assert.True(bucket.AttemptAcquire(burst).IsAcquired);
        return bucket;
    }
}
