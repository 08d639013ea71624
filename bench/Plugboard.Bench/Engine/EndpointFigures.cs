namespace Plugboard.Bench.Engine;

/// One endpoint over the phases given (the measured ones, or the warm-up).
internal sealed record EndpointFigures(
    Endpoint Endpoint,
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
    /// Server CPU time per request served, in microseconds: the cost, whoever else uses the cores.
    public double ServerCpuMicrosPerRequest => ServerCpu.TotalMicroseconds / Math.Max(1, Served);
    public double ServerCores => ServerCpu / Elapsed;
    public double BenchCores => BenchCpu / Elapsed;
    public double PostgresCores => PostgresCpu / Elapsed;
    /// PostgreSQL's CPU time per request served, in microseconds (zero on SQLite, whose time is the server's).
    public double PostgresCpuMicrosPerRequest => PostgresCpu.TotalMicroseconds / Math.Max(1, Served);
    /// What a request costs the machine's cores on the server's side: the server process and the database.
    public double TotalCpuMicrosPerRequest => ServerCpuMicrosPerRequest + PostgresCpuMicrosPerRequest;
    /// Cores busy with anything but the server, the bench and PostgreSQL: other work on the machine.
    public double OtherCores => Math.Max(0, (MachineCpu - ServerCpu - BenchCpu - PostgresCpu) / Elapsed);
    public long? PeakRssKb => RssSamplesKb.Count == 0 ? null : RssSamplesKb.Max();
    public double? MeanRssKb => RssSamplesKb.Count == 0 ? null : RssSamplesKb.Average();

    public static EndpointFigures Of(Endpoint endpoint, IEnumerable<PhaseResult> phases)
    {
        var measured = phases.Where(p => p.Endpoint == endpoint).ToList();
        var latency = new LatencyHistogram();
        foreach (var phase in measured)
        {
            latency.Add(phase.Latency);
        }
        return new EndpointFigures(
            endpoint,
            measured.Sum(p => p.Served),
            measured.Sum(p => p.Errors),
            measured.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Elapsed),
            latency,
            measured.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.ServerCpu),
            measured.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.BenchCpu),
            measured.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.PostgresCpu),
            measured.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.MachineCpu),
            [.. measured.SelectMany(p => p.RssSamplesKb)],
            measured.Select(p => p.FirstError).FirstOrDefault(e => e is not null));
    }
}
