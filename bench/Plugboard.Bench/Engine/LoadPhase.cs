using System.Diagnostics;
using System.Net;

namespace Plugboard.Bench.Engine;

/// One timed phase against one endpoint. Round 0 is warm-up.
internal sealed record PhaseResult(
    Endpoint Endpoint,
    int Round,
    long Served,
    long Errors,
    TimeSpan Elapsed,
    LatencyHistogram Latency,
    TimeSpan ServerCpu,
    TimeSpan BenchCpu,
    TimeSpan PostgresCpu,
    TimeSpan MachineCpu,
    IReadOnlyList<long> RssSamplesKb,
    string? FirstError)
{
    public double RequestsPerSecond => Served / Elapsed.TotalSeconds;
    public double PostgresCores => PostgresCpu / Elapsed;
    /// Cores busy with anything but the server, the bench and PostgreSQL: other work on the machine.
    public double OtherCores => Math.Max(0, (MachineCpu - ServerCpu - BenchCpu - PostgresCpu) / Elapsed);
}

/// A closed loop: N workers, each sending its next request as soon as the last one is answered, until
/// the phase's time is up (a request in flight then is finished and counted, never cancelled). The
/// server's RSS is sampled meanwhile, its CPU time and the bench's read before and after.
internal static class LoadPhase
{
    private static readonly TimeSpan RssInterval = TimeSpan.FromMilliseconds(200);

    public static async Task<PhaseResult> RunAsync(
        LoadClient client, ServerProcess server, DatabaseProcesses database, Endpoint endpoint, int round, int concurrency, TimeSpan duration, CancellationToken ct)
    {
        var workers = Enumerable.Range(0, concurrency).Select(_ => new Worker()).ToArray();
        var serverCpu = server.Usage().Cpu;
        var benchCpu = BenchCpu();
        var postgresCpu = database.Cpu();
        var machineCpu = MachineCpu.Busy();
        using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var samples = SampleRssAsync(server, stopSampling.Token);

        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(workers.Select(w => Task.Run(() => w.RunAsync(client, endpoint, deadline, ct), ct)));
        var elapsed = Stopwatch.GetElapsedTime(started);

        await stopSampling.CancelAsync();
        var rss = await samples;
        var latency = new LatencyHistogram();
        foreach (var worker in workers)
        {
            latency.Add(worker.Latency);
        }
        return new PhaseResult(endpoint, round, workers.Sum(w => w.Served), workers.Sum(w => w.Errors), elapsed, latency,
            server.Usage().Cpu - serverCpu, BenchCpu() - benchCpu, database.Cpu() - postgresCpu, MachineCpu.Busy() - machineCpu, rss,
            workers.Select(w => w.FirstError).FirstOrDefault(e => e is not null));
    }

    private static TimeSpan BenchCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static async Task<List<long>> SampleRssAsync(ServerProcess server, CancellationToken ct)
    {
        var samples = new List<long>();
        using var timer = new PeriodicTimer(RssInterval);
        try
        {
            do
            {
                if (server.Usage().RssKb is { } kb)
                {
                    samples.Add(kb);
                }
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException)
        {
            // The phase is over.
        }
        return samples;
    }

    private sealed class Worker
    {
        public LatencyHistogram Latency { get; } = new();
        public long Served { get; private set; }
        public long Errors { get; private set; }
        public string? FirstError { get; private set; }

        public async Task RunAsync(LoadClient client, Endpoint endpoint, long deadline, CancellationToken ct)
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.GetAsync(endpoint, ct);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        Served++;
                    }
                    else
                    {
                        Fail($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
                    }
                }
                catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
                {
                    Fail(e.Message);
                }
                Latency.RecordSince(start);
            }
        }

        private void Fail(string error)
        {
            Errors++;
            FirstError ??= error.Length > 300 ? error[..300] : error;
        }
    }
}
