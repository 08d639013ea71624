using Plugboard.Server.Configuration;

namespace Plugboard.Server.Embedding;

/// Managed authentication. From PLUGBOARD_SESSION_* / PLUGBOARD_EXTERNAL_TOKEN_* settings.
public sealed class EmbeddingOptions
{
    /// How long a session token from the exchange lives.
    public int SessionTtlSeconds { get; init; } = 4 * 3600;
    /// An external token whose `exp` lies further ahead than this is refused: a SaaS mints them per login.
    public TimeSpan MaxExternalTokenLifetime { get; init; } = TimeSpan.FromHours(24);
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(30);

    public static EmbeddingOptions FromConfiguration(IConfiguration c)
    {
        var options = new EmbeddingOptions
        {
            SessionTtlSeconds = c.Int("PLUGBOARD_SESSION_TTL_SECONDS", 4 * 3600),
            MaxExternalTokenLifetime = TimeSpan.FromSeconds(c.Int("PLUGBOARD_EXTERNAL_TOKEN_MAX_LIFETIME_SECONDS", 24 * 3600)),
        };
        if (options.SessionTtlSeconds is < 60 or > 7 * 24 * 3600 || options.MaxExternalTokenLifetime < TimeSpan.FromMinutes(1))
        {
            throw new StartupException(
                "PLUGBOARD_SESSION_TTL_SECONDS must be between 60 and 604800, PLUGBOARD_EXTERNAL_TOKEN_MAX_LIFETIME_SECONDS at least 60.");
        }
        return options;
    }
}
