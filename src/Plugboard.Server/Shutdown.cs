using Plugboard.Server.Configuration;

namespace Plugboard.Server;

/// What SIGTERM (or Ctrl+C) does: the server stops accepting connections, lets the requests in flight finish,
/// then stops the background services, the read-audit writer writing every queued read before the process
/// ends. All of it within PLUGBOARD_SHUTDOWN_TIMEOUT_SECONDS (default 30; a container runtime's own grace
/// period, e.g. `stop_grace_period`, should be a little longer).
public static class Shutdown
{
    public const string TimeoutVariable = "PLUGBOARD_SHUTDOWN_TIMEOUT_SECONDS";
    public const int DefaultSeconds = 30;

    public static WebApplicationBuilder UsePlugboardShutdown(this WebApplicationBuilder builder)
    {
        var raw = builder.Configuration[TimeoutVariable];
        var seconds = DefaultSeconds;
        if (!string.IsNullOrWhiteSpace(raw) && (!int.TryParse(raw, out seconds) || seconds is < 1 or > 3600))
        {
            throw new StartupException($"{TimeoutVariable} must be a whole number of seconds from 1 to 3600 (got '{raw}').");
        }
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(seconds));
        return builder;
    }
}
