using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Plugboard.Server.Telemetry;

/// Plugboard's own instruments, on the `Plugboard` meter and activity source. Static, so the features that
/// record into them (Engine, OAuth, Data) need nothing injected; with no listener (no OTLP endpoint set)
/// recording is a check of a flag and nothing else. Tags carry outcomes and kinds only, never an id or a secret:
/// a tag per connection would make one time series per connection.
public static class PlugboardMetrics
{
    public const string Name = "Plugboard";

    public static readonly Meter Meter = new(Name);
    public static readonly ActivitySource Source = new(Name);

    /// Engine reads of a connection's value (`kind=engine`) and calls made with one through the proxy (`kind=proxy`).
    public static readonly Counter<long> EngineReads = Meter.CreateCounter<long>(
        "plugboard.engine.reads", unit: "{read}", description: "Connection values released to the engine, and proxied calls");

    /// Token refreshes by outcome (`refreshed`, `refreshed_elsewhere`, `not_due`, `busy`, `transient_failure`, `failed`, ...).
    public static readonly Counter<long> Refreshes = Meter.CreateCounter<long>(
        "plugboard.refreshes", unit: "{refresh}", description: "OAuth2 token refreshes by outcome");

    /// How long after its scheduled time a refresh ran (0 when on time or early, as a forced one is).
    public static readonly Histogram<double> RefreshLag = Meter.CreateHistogram<double>(
        "plugboard.refresh.lag", unit: "s", description: "Delay between a refresh falling due and it running");

    /// A refresh that found another replica (or request) holding the connection's lease.
    public static readonly Counter<long> LeaseContention = Meter.CreateCounter<long>(
        "plugboard.refresh.lease_contention", unit: "{refresh}", description: "Refreshes that found the lease held elsewhere");

    // -1 until a sampler has counted: no measurement rather than a made-up zero.
    private static long _webhookBacklog = -1;

    /// Webhook deliveries waiting in the outbox (not yet delivered, retrying included), as last counted by the
    /// webhooks' sampler: counting on each collection would put a query on the exporter's thread.
    public static readonly ObservableGauge<long> WebhookBacklog = Meter.CreateObservableGauge(
        "plugboard.webhooks.backlog", ObserveWebhookBacklog, unit: "{delivery}", description: "Webhook deliveries pending in the outbox");

    public static void SetWebhookBacklog(long pending) => Interlocked.Exchange(ref _webhookBacklog, pending);

    private static IEnumerable<Measurement<long>> ObserveWebhookBacklog() =>
        Interlocked.Read(ref _webhookBacklog) is var pending and >= 0 ? [new Measurement<long>(pending)] : [];

    public static void EngineRead(bool proxied) =>
        EngineReads.Add(1, new KeyValuePair<string, object?>("kind", proxied ? "proxy" : "engine"));

    public static void Refresh(string outcome) =>
        Refreshes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
