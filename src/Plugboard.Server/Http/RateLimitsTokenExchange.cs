using System.Threading.RateLimiting;

namespace Plugboard.Server.Http;

/// The token exchange's budgets, spent by the exchange once it knows its answer, since that is what tells a guess
/// from a login: a refused token spends its address's strict budget (PLUGBOARD_RATE_LIMIT_TOKEN_EXCHANGE_PER_MINUTE,
/// _BURST), and once that is spent refusals answer 429, so a guesser learns nothing more; an accepted token spends
/// its signing key's generous one (PLUGBOARD_RATE_LIMIT_TOKEN_EXCHANGE_VALID_PER_MINUTE). An address guessing does
/// not lock out the valid logins from the same office. Every exchange is anonymous, so the per-address budget of
/// requests without a credential bounds the verification work one address can cause.
public sealed class TokenExchangeBudgets : IDisposable
{
    private readonly ILogger _logger;
    private readonly PartitionedRateLimiter<string>? _refusedPerAddress;
    private readonly PartitionedRateLimiter<string>? _validPerSigningKey;

    public TokenExchangeBudgets(RateLimitOptions limits, TimeProvider time, ILoggerFactory loggers)
    {
        _logger = loggers.CreateLogger(typeof(RateLimits).FullName!);
        _refusedPerAddress = limits.Enabled ? Budget(time, limits.TokenExchangePerMinute, limits.TokenExchangeBurst) : null;
        _validPerSigningKey = limits.Enabled ? Budget(time, limits.TokenExchangeValidPerMinute, limits.TokenExchangeValidPerMinute) : null;
    }

    /// Null while the address has budget for refusals left; else the 429 to answer instead of the refusal.
    public ApiErrorResult? SpendRefused(HttpContext http) =>
        Spend(_refusedPerAddress, http, RateLimitKeys.Address(http), "refused token exchanges from one address");

    /// Null while the signing key has budget left; else the 429 to answer instead of a session.
    public ApiErrorResult? SpendValid(HttpContext http, string signingKeyId) =>
        Spend(_validPerSigningKey, http, signingKeyId, "token exchanges per signing key");

    private ApiErrorResult? Spend(PartitionedRateLimiter<string>? budget, HttpContext http, string key, string limit)
    {
        if (budget is null)
        {
            return null;
        }
        using var lease = budget.AttemptAcquire(key);
        return lease.IsAcquired ? null : RateLimits.TooManyRequests(http, lease, _logger, limit);
    }

    private static PartitionedRateLimiter<string>? Budget(TimeProvider time, int perMinute, int burst)
    {
        if (perMinute == 0)
        {
            return null;
        }
        var bucket = RateLimitState.Bucket(time, perMinute, burst);
        return PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.Get(key, bucket));
    }

    public void Dispose()
    {
        _refusedPerAddress?.Dispose();
        _validPerSigningKey?.Dispose();
    }
}
