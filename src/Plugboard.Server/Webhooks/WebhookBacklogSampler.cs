using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;
using Plugboard.Server.Outbox;
using Plugboard.Server.Telemetry;

namespace Plugboard.Server.Webhooks;

/// Counts the outbox's pending deliveries for the `plugboard.webhooks.backlog` gauge, as often as the delivery
/// worker scans (PLUGBOARD_WEBHOOKS_INTERVAL_SECONDS). Registered only when telemetry is exported: otherwise
/// nobody reads the gauge and the count would be a query for nothing. Each replica counts the one shared outbox.
public sealed partial class WebhookBacklogSampler(IServiceScopeFactory scopes, WebhookOptions options, TimeProvider time,
    ILogger<WebhookBacklogSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A jittered first tick, so replicas started together do not count in lockstep.
        await Task.Delay(options.WorkerInterval * Random.Shared.NextDouble(), time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        using var timer = new PeriodicTimer(options.WorkerInterval, time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<PlugboardDb>();
                PlugboardMetrics.SetWebhookBacklog(await db.WebhookDeliveries.CountAsync(d => d.Status == WebhookDeliveryStatus.Pending, stoppingToken));
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                Log.CountFailed(logger, e.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default));
    }

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
