using Plugboard.Server.Configuration;

namespace Plugboard.Server.Http;

/// Request rate limits, per process. From PLUGBOARD_RATE_LIMIT* settings; the defaults suit production.
/// Every limit is a token bucket: it holds a burst of requests and refills continuously at the per-minute
/// rate, so a client may spend its burst at once and then goes at rate/60 per second. 0 turns a limit off.
public sealed class RateLimitOptions
{
    public const string EnabledVariable = "PLUGBOARD_RATE_LIMITS";
    public const string PerCredentialVariable = "PLUGBOARD_RATE_LIMIT_PER_CREDENTIAL_PER_MINUTE";
    public const string PerEngineTokenVariable = "PLUGBOARD_RATE_LIMIT_PER_ENGINE_TOKEN_PER_MINUTE";
    public const string PerMcpTokenVariable = "PLUGBOARD_RATE_LIMIT_PER_MCP_TOKEN_PER_MINUTE";
    public const string PerIpVariable = "PLUGBOARD_RATE_LIMIT_PER_IP_PER_MINUTE";
    public const string TokenExchangeVariable = "PLUGBOARD_RATE_LIMIT_TOKEN_EXCHANGE_PER_MINUTE";
    public const string TokenExchangeBurstVariable = "PLUGBOARD_RATE_LIMIT_TOKEN_EXCHANGE_BURST";
    public const string TokenExchangeValidVariable = "PLUGBOARD_RATE_LIMIT_TOKEN_EXCHANGE_VALID_PER_MINUTE";

    /// Above this a bucket's refill period would drop under a microsecond; nobody means that many.
    public const int MaxPerMinute = 1_000_000;

    public bool Enabled { get; init; } = true;
    /// Each presented credential (API key, session token) outside the worker routes; its burst is a minute's worth.
    /// A platform key is the SaaS backend itself, so this is generous: bulk provisioning goes at 100/s.
    public int PerCredentialPerMinute { get; init; } = 6_000;
    /// Each engine token on /api/v1/worker. Off by default: the engine read is the hot path of customers' runs,
    /// engine tokens are minted by the (limited) platform key for one project and live minutes, and a cap
    /// here fails runs rather than protecting anything the platform does not already control.
    public int PerEngineTokenPerMinute { get; init; }
    /// Each MCP server token on /mcp (its burst is a minute's worth). An AI agent's tool calls each reach a customer's
    /// third-party API, so an agent stuck in a loop is stopped here before it spends the customer's upstream quota.
    public int PerMcpTokenPerMinute { get; init; } = 600;
    /// Each client address, for requests without a credential; requests whose credential fails
    /// authentication are counted against the same budget, so guessing keys is limited too.
    public int PerIpPerMinute { get; init; } = 300;
    /// Each client address on the token exchange (POST /api/v1/managed-authn/external-token), for tokens it refuses:
    /// strict, since that is what guessing spends.
    public int TokenExchangePerMinute { get; init; } = 10;
    /// How many refused token exchanges an address may make at once before the per-minute rate applies.
    public int TokenExchangeBurst { get; init; } = 5;
    /// Each signing key on the token exchange, for tokens it accepts (its burst is a minute's worth): generous, since
    /// only the SaaS holding the private key can mint them, and a whole office may sign in at 9:00 from one address.
    public int TokenExchangeValidPerMinute { get; init; } = 600;

    public static RateLimitOptions FromConfiguration(IConfiguration c)
    {
        var defaults = new RateLimitOptions();
        var exchange = PerMinute(c, TokenExchangeVariable, defaults.TokenExchangePerMinute);
        return new RateLimitOptions
        {
            Enabled = OnOff(c, EnabledVariable),
            PerCredentialPerMinute = PerMinute(c, PerCredentialVariable, defaults.PerCredentialPerMinute),
            PerEngineTokenPerMinute = PerMinute(c, PerEngineTokenVariable, defaults.PerEngineTokenPerMinute),
            PerMcpTokenPerMinute = PerMinute(c, PerMcpTokenVariable, defaults.PerMcpTokenPerMinute),
            PerIpPerMinute = PerMinute(c, PerIpVariable, defaults.PerIpPerMinute),
            TokenExchangePerMinute = exchange,
            TokenExchangeValidPerMinute = PerMinute(c, TokenExchangeValidVariable, defaults.TokenExchangeValidPerMinute),
            // Unset, the burst is never above the rate: "2 per minute" does not allow 5 at once.
            TokenExchangeBurst = c[TokenExchangeBurstVariable] is { Length: > 0 }
                ? Count(c, TokenExchangeBurstVariable, min: 1)
                : Math.Min(defaults.TokenExchangeBurst, Math.Max(exchange, 1)),
        };
    }

    private static bool OnOff(IConfiguration c, string key) => c[key]?.Trim().ToLowerInvariant() switch
    {
        null or "" or "on" or "true" => true,
        "off" or "false" => false,
        _ => throw new StartupException($"{key} must be on or off (default on)."),
    };

    private static int PerMinute(IConfiguration c, string key, int fallback) =>
        c[key] is { Length: > 0 } ? Count(c, key, min: 0) : fallback;

    private static int Count(IConfiguration c, string key, int min) =>
        int.TryParse(c[key], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= MaxPerMinute
            ? n
            : throw new StartupException($"{key} must be a whole number from {min} to {MaxPerMinute}{(min == 0 ? " (0 turns that limit off)" : "")}.");
}
