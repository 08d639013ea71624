using Plugboard.Server.Configuration;

namespace Plugboard.Server.Webhooks;

/// How webhook deliveries are retried. All from PLUGBOARD_WEBHOOKS_* settings; the defaults suit production.
public sealed class WebhookOptions
{
    public bool WorkerEnabled { get; init; } = true;
    public TimeSpan WorkerInterval { get; init; } = TimeSpan.FromSeconds(5);
    public int WorkerBatchSize { get; init; } = 100;
    public int WorkerParallelism { get; init; } = 8;
    /// How long a replica's claim on a delivery lasts; longer than a receiver's answer can take.
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(60);
    /// First wait after a failed attempt; doubles per attempt up to MaxBackoff.
    public TimeSpan FirstRetry { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromHours(1);
    /// A delivery not delivered this long after its event is given up (failed).
    public TimeSpan GiveUpAfter { get; init; } = TimeSpan.FromHours(24);
    /// How far ahead connection.expiring looks.
    public TimeSpan ExpiringWithin { get; init; } = TimeSpan.FromHours(24);

    public static WebhookOptions FromConfiguration(IConfiguration c)
    {
        var defaults = new WebhookOptions();
        var options = new WebhookOptions
        {
            WorkerEnabled = !c.IsFalse("PLUGBOARD_WEBHOOKS_WORKER"),
            WorkerInterval = c.Seconds("PLUGBOARD_WEBHOOKS_INTERVAL_SECONDS", defaults.WorkerInterval),
            WorkerBatchSize = c.Int("PLUGBOARD_WEBHOOKS_BATCH_SIZE", defaults.WorkerBatchSize),
            WorkerParallelism = c.Int("PLUGBOARD_WEBHOOKS_PARALLELISM", defaults.WorkerParallelism),
            LeaseDuration = c.Seconds("PLUGBOARD_WEBHOOKS_LEASE_SECONDS", defaults.LeaseDuration),
            FirstRetry = c.Seconds("PLUGBOARD_WEBHOOKS_FIRST_RETRY_SECONDS", defaults.FirstRetry),
            MaxBackoff = c.Seconds("PLUGBOARD_WEBHOOKS_MAX_BACKOFF_SECONDS", defaults.MaxBackoff),
        };
        if (options.LeaseDuration <= TimeSpan.FromSeconds(5) || options.WorkerParallelism < 1 || options.WorkerBatchSize < 1 ||
            options.FirstRetry <= TimeSpan.Zero || options.WorkerInterval <= TimeSpan.Zero)
        {
            throw new StartupException(
                "PLUGBOARD_WEBHOOKS_LEASE_SECONDS must be over 5, PLUGBOARD_WEBHOOKS_PARALLELISM and PLUGBOARD_WEBHOOKS_BATCH_SIZE at least 1, " +
                "PLUGBOARD_WEBHOOKS_FIRST_RETRY_SECONDS and PLUGBOARD_WEBHOOKS_INTERVAL_SECONDS over 0.");
        }
        return options;
    }
}
