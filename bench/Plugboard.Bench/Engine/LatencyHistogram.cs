using System.Diagnostics;
using System.Numerics;

namespace Plugboard.Bench.Engine;

/// Latencies in whole microseconds, HdrHistogram-like: exact below 128 µs, then 64 buckets per power
/// of two (under 1.6 % error). Preallocated, one per worker, merged after a phase: nothing is
/// allocated or shared while recording.
internal sealed class LatencyHistogram
{
    private const int SubBuckets = 64;
    private const int Linear = 2 * SubBuckets;
    private const int Powers = 40;

    private readonly long[] _counts = new long[Linear + Powers * SubBuckets];

    public long Count { get; private set; }
    public long MaxMicros { get; private set; }

    public void RecordSince(long startTimestamp)
    {
        var micros = (long)Stopwatch.GetElapsedTime(startTimestamp).TotalMicroseconds;
        Record(micros);
    }

    public void Record(long micros)
    {
        micros = Math.Max(0, micros);
        _counts[Index(micros)]++;
        Count++;
        MaxMicros = Math.Max(MaxMicros, micros);
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }
        Count += other.Count;
        MaxMicros = Math.Max(MaxMicros, other.MaxMicros);
    }

    /// The latency at the quantile (0..1) in milliseconds: the middle of the bucket it falls in.
    public double QuantileMs(double quantile)
    {
        if (Count == 0)
        {
            return double.NaN;
        }
        var rank = Math.Max(1, (long)Math.Ceiling(quantile * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(Middle(i), MaxMicros) / 1000.0;
            }
        }
        return MaxMicros / 1000.0;
    }

    public double MaxMs => MaxMicros / 1000.0;

    private static int Index(long micros)
    {
        if (micros < Linear)
        {
            return (int)micros;
        }
        var shift = 63 - BitOperations.LeadingZeroCount((ulong)micros) - 6;
        var index = Linear + (shift - 1) * SubBuckets + (int)(micros >> shift) - SubBuckets;
        return Math.Min(index, Linear + Powers * SubBuckets - 1);
    }

    private static double Middle(int index)
    {
        if (index < Linear)
        {
            return index;
        }
        var shift = (index - Linear) / SubBuckets + 1;
        var low = (long)((index - Linear) % SubBuckets + SubBuckets) << shift;
        return low + ((1L << shift) - 1) / 2.0;
    }
}
