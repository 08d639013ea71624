using Plugboard.Server.Configuration;

namespace Plugboard.Server.OAuth;

/// How tokens are kept fresh. All from PLUGBOARD_REFRESH_* settings; the defaults suit production.
public sealed class RefreshOptions
{
    /// Refresh this long before expiry (capped at half the token's lifetime, so short tokens are not refreshed on every read).
    public TimeSpan Margin { get; init; } = TimeSpan.FromMinutes(15);
    /// Every renewable connection is refreshed at least this often, because some providers revoke idle refresh tokens.
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromDays(1);
    /// How long a replica's claim on a refresh lasts; longer than a provider call can take.
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(60);
    /// First wait after a transient failure; doubles per failure up to MaxBackoff.
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(15);
    /// Transient failures on this many different days turn the connection to ERROR.
    public int GiveUpAfterDays { get; init; } = 4;
    public bool WorkerEnabled { get; init; } = true;
    public TimeSpan WorkerInterval { get; init; } = TimeSpan.FromSeconds(30);
    public int WorkerBatchSize { get; init; } = 200;
    public int WorkerParallelism { get; init; } = 8;

    public static RefreshOptions FromConfiguration(IConfiguration c)
    {
        var defaults = new RefreshOptions();
        var options = new RefreshOptions
        {
            Margin = c.Seconds("PLUGBOARD_REFRESH_MARGIN_SECONDS", defaults.Margin),
            KeepAlive = c.Seconds("PLUGBOARD_REFRESH_KEEPALIVE_SECONDS", defaults.KeepAlive),
            LeaseDuration = c.Seconds("PLUGBOARD_REFRESH_LEASE_SECONDS", defaults.LeaseDuration),
            Cooldown = c.Seconds("PLUGBOARD_REFRESH_COOLDOWN_SECONDS", defaults.Cooldown),
            MaxBackoff = c.Seconds("PLUGBOARD_REFRESH_MAX_BACKOFF_SECONDS", defaults.MaxBackoff),
            GiveUpAfterDays = c.Int("PLUGBOARD_REFRESH_GIVE_UP_DAYS", defaults.GiveUpAfterDays),
            WorkerEnabled = !c.IsFalse("PLUGBOARD_REFRESH_WORKER"),
            WorkerInterval = c.Seconds("PLUGBOARD_REFRESH_INTERVAL_SECONDS", defaults.WorkerInterval),
            WorkerBatchSize = c.Int("PLUGBOARD_REFRESH_BATCH_SIZE", defaults.WorkerBatchSize),
            WorkerParallelism = c.Int("PLUGBOARD_REFRESH_PARALLELISM", defaults.WorkerParallelism),
        };
        if (options.LeaseDuration <= TimeSpan.FromSeconds(5) || options.WorkerParallelism < 1 || options.WorkerBatchSize < 1 || options.GiveUpAfterDays < 1)
        {
            throw new StartupException(
                "PLUGBOARD_REFRESH_LEASE_SECONDS must be over 5, PLUGBOARD_REFRESH_PARALLELISM, PLUGBOARD_REFRESH_BATCH_SIZE and PLUGBOARD_REFRESH_GIVE_UP_DAYS at least 1.");
        }
        return options;
    }
}
