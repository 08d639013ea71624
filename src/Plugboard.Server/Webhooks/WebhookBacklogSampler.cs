using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;
using Plugboard.Server.Outbox;
using Plugboard.Server.Telemetry;

namespace Plugboard.Server.Webhooks;

/// Counts the outbox's pending deliveries for the `plugboard.webhooks.backlog` gauge, as often as the delivery
/// worker scans (PLUGBOARD_WEBHOOKS_INTERVAL_SECONDS). Registered only when telemetry is exported: otherwise
/// nobody reads the gauge and the count would be a query for nothing. Each replica counts the one shared outbox.
public sealed partial class WebhookBacklogSampler(IServiceScopeFactory scopes, WebhookOptions options, TimeProvider time,
    IHostApplicationLifetime lifetime, ILogger<WebhookBacklogSampler> logger) : PeriodicWorker(lifetime, time)
{
    protected override TimeSpan Interval => options.WorkerInterval;

    protected override async Task TickAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlugboardDb>();
        PlugboardMetrics.SetWebhookBacklog(await db.WebhookDeliveries.CountAsync(d => d.Status == WebhookDeliveryStatus.Pending, stoppingToken));
    }

    protected override void TickFailed(Exception e) => Log.CountFailed(logger, e.GetType().Name);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3850, Level = LogLevel.Warning, Message = "Counting the webhook backlog failed ({ExceptionType})")]
        public static partial void CountFailed(ILogger logger, string exceptionType);
    }
}

public static class WebhookBacklogMetric
{
    public static IServiceCollection AddWebhookBacklogMetric(this IServiceCollection services, IConfiguration configuration) =>
        TelemetryServices.Enabled(configuration) ? services.AddHostedService<WebhookBacklogSampler>() : services;
}
