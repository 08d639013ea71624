using Plugboard.Server.Configuration;

namespace Plugboard.Server.Engine;

/// Engine tokens and the run-time read. From PLUGBOARD_ENGINE_* settings; the defaults suit production.
public sealed class EngineOptions
{
    public const int DefaultTokenTtlSeconds = 900;

    /// The longest an engine token may live; a job that runs longer asks for a new one.
    public int MaxTokenTtlSeconds { get; init; } = 86_400;
    /// How often buffered read-audit entries are written, coalesced per token and connection.
    public TimeSpan AuditFlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    public static EngineOptions FromConfiguration(IConfiguration c)
    {
        var options = new EngineOptions
        {
            MaxTokenTtlSeconds = c.Int("PLUGBOARD_ENGINE_TOKEN_MAX_TTL_SECONDS", 86_400),
            AuditFlushInterval = TimeSpan.FromMilliseconds(c.Int("PLUGBOARD_ENGINE_AUDIT_FLUSH_MILLISECONDS", 1_000)),
        };
        if (options.MaxTokenTtlSeconds < 60 || options.AuditFlushInterval < TimeSpan.FromMilliseconds(10))
        {
            throw new StartupException(
                "PLUGBOARD_ENGINE_TOKEN_MAX_TTL_SECONDS must be at least 60 and PLUGBOARD_ENGINE_AUDIT_FLUSH_MILLISECONDS at least 10.");
        }
        return options;
    }
}
