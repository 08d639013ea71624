using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Plugboard.Server.Http;

/// Request rate limits with ASP.NET Core's rate limiter, settings in <see cref="RateLimitOptions"/>.
/// The limiter runs before authentication, so a request over its limit costs no key lookup. It partitions
/// by the credential as presented (a hash of it; see <see cref="RateLimitKeys"/>): each API key, session
/// token or engine token has its own budget, and requests without one share their address's budget.
/// A credential that fails authentication also spends its address's budget: fresh made-up tokens would
/// otherwise each get a full budget of their own. Limits are per process: N replicas allow N times as much.
public static partial class RateLimits
{
    public static IServiceCollection AddPlugboardRateLimits(this IServiceCollection services)
    {
        services.AddSingleton(sp => RateLimitOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<RateLimitState>();
        services.AddSingleton<TokenExchangeBudgets>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<RateLimitState>((options, state) => state.Configure(options));
        return services;
    }

    /// Goes right after the error handling (so its 429 has the contract body) and before authentication.
    public static WebApplication UsePlugboardRateLimits(this WebApplication app)
    {
        var limits = app.Services.GetRequiredService<RateLimitOptions>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimits).FullName!);
        if (!limits.Enabled)
        {
            LogDisabled(logger, RateLimitOptions.EnabledVariable);
            return app;
        }
        LogLimits(logger, limits.PerCredentialPerMinute, limits.PerEngineTokenPerMinute, limits.PerMcpTokenPerMinute, limits.PerIpPerMinute, limits.TokenExchangePerMinute,
            limits.TokenExchangeBurst, limits.TokenExchangeValidPerMinute);
        var state = app.Services.GetRequiredService<RateLimitState>();
        app.Use(state.GuardFailedCredentialsAsync);
        app.UseRateLimiter();
        return app;
    }

    /// 429 in the contract body with Retry-After in whole seconds, at least 1.
    internal static Task RejectAsync(HttpContext http, RateLimitLease lease, ILogger logger, string limit) =>
        TooManyRequests(http, lease, logger, limit).ExecuteAsync(http);

    /// The 429 for a rejected lease, with its Retry-After header already set on the response.
    internal static ApiErrorResult TooManyRequests(HttpContext http, RateLimitLease lease, ILogger logger, string limit)
    {
        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var after)
            ? Math.Max(1, (int)Math.Min(Math.Ceiling(after.TotalSeconds), int.MaxValue))
            : 1;
        LogRejected(logger, limit, http.Request.Method, http.Request.Path, seconds);
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return new ApiErrorResult(ApiError.Http(
            StatusCodes.Status429TooManyRequests, ErrorCodes.TooManyRequests, $"Too many requests; retry after {seconds} s."));
    }

    [LoggerMessage(EventId = 1600, Level = LogLevel.Information,
        Message = "Rate limits per process: {PerCredential}/min per credential, {PerEngineToken}/min per engine token, {PerMcpToken}/min per MCP server token, {PerIp}/min per address without a credential, refused token exchanges {TokenExchange}/min (burst {TokenExchangeBurst}) per address, valid ones {TokenExchangeValid}/min per signing key; 0 is no limit")]
    private static partial void LogLimits(ILogger logger, int perCredential, int perEngineToken, int perMcpToken, int perIp, int tokenExchange, int tokenExchangeBurst, int tokenExchangeValid);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Warning, Message = "Rate limits are off ({Variable})")]
    private static partial void LogDisabled(ILogger logger, string variable);

    /// Debug: a flood of rejections must not become a flood of log lines. Never the credential nor its hash.
    [LoggerMessage(EventId = 1602, Level = LogLevel.Debug, Message = "Rate limited ({Limit}): {Method} {Path}, retry after {Seconds} s")]
    private static partial void LogRejected(ILogger logger, string limit, string method, string path, int seconds);
}

/// The process's limiters. A singleton owned by the container, so the partitioned limiters' timers (which drop
/// idle partitions) stop with the host.
internal sealed class RateLimitState : IDisposable
{
    private const string HealthPath = "/health";
    private static readonly RateLimitPartition<string> Unlimited = RateLimitPartition.GetNoLimiter("");

    private readonly RateLimitOptions _limits;
    private readonly ILogger _logger;
    private readonly Func<string, RateLimiter> _credentialBucket;
    private readonly Func<string, RateLimiter> _engineBucket;
    private readonly Func<string, RateLimiter> _mcpBucket;
    private readonly Func<string, RateLimiter> _addressBucket;
    private readonly PartitionedRateLimiter<HttpContext> _global;
    /// Per address: credentials that failed authentication. Null when the per-address limit is off.
    private readonly PartitionedRateLimiter<string>? _failures;

    public RateLimitState(RateLimitOptions limits, TimeProvider time, ILoggerFactory loggers)
    {
        _limits = limits;
        _logger = loggers.CreateLogger(typeof(RateLimits).FullName!);
        _credentialBucket = Bucket(time, limits.PerCredentialPerMinute, limits.PerCredentialPerMinute);
        _engineBucket = Bucket(time, limits.PerEngineTokenPerMinute, limits.PerEngineTokenPerMinute);
        _mcpBucket = Bucket(time, limits.PerMcpTokenPerMinute, limits.PerMcpTokenPerMinute);
        _addressBucket = Bucket(time, limits.PerIpPerMinute, limits.PerIpPerMinute);
        _global = PartitionedRateLimiter.Create<HttpContext, string>(Partition);
        _failures = limits.PerIpPerMinute > 0
            ? PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.Get(address, _addressBucket))
            : null;
    }

    public void Configure(RateLimiterOptions options)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.GlobalLimiter = _global;
        options.OnRejected = (context, _) => new ValueTask(RateLimits.RejectAsync(context.HttpContext, context.Lease, _logger, "request"));
    }

    /// Each request falls in exactly one partition: its credential's, or its address's when it has none.
    private RateLimitPartition<string> Partition(HttpContext http)
    {
        var request = http.Request;
        if (IsHealth(request))
        {
            return Unlimited;
        }
        if (RateLimitKeys.HasCredential(request))
        {
            var budget = http.GetEndpoint()?.Metadata.GetMetadata<TokenBudget>();
            var (perMinute, bucket, kind) = budget == TokenBudget.Engine ? (_limits.PerEngineTokenPerMinute, _engineBucket, "engine:")
                : budget == TokenBudget.Mcp ? (_limits.PerMcpTokenPerMinute, _mcpBucket, "mcp:")
                : (_limits.PerCredentialPerMinute, _credentialBucket, "credential:");
            // The hash is only computed when it is used: the engine read is hot and unlimited by default.
            return perMinute == 0 ? Unlimited : RateLimitPartition.Get(kind + RateLimitKeys.CredentialHash(request), bucket);
        }
        return _limits.PerIpPerMinute == 0
            ? Unlimited
            : RateLimitPartition.Get("address:" + RateLimitKeys.Address(http), _addressBucket);
    }

    /// Refuses credentials from an address that has spent its budget on ones that failed authentication, and
    /// counts each 401 to a presented credential against it. Valid credentials from that address wait too:
    /// the server cannot tell them from the guesses before the key lookup this is there to spare.
    public async Task GuardFailedCredentialsAsync(HttpContext http, RequestDelegate next)
    {
        if (_failures is null || IsHealth(http.Request) || !RateLimitKeys.HasCredential(http.Request))
        {
            await next(http);
            return;
        }
        var address = RateLimitKeys.Address(http);
        // Buckets refill continuously, so a spent one holds a fraction of a token. Less than one whole failure
        // left: closed, and the failed lease says how long.
        if (_failures.GetStatistics(address) is { CurrentAvailablePermits: < 1 })
        {
            using var closed = _failures.AttemptAcquire(address);
            if (!closed.IsAcquired)
            {
                await RateLimits.RejectAsync(http, closed, _logger, "failed credentials from one address");
                return;
            }
        }
        // Counted as the response starts, before the client can read it: its next guess finds it counted.
        http.Response.OnStarting(() =>
        {
            if (http.Response.StatusCode == StatusCodes.Status401Unauthorized)
            {
                _failures.AttemptAcquire(address).Dispose();
            }
            return Task.CompletedTask;
        });
        await next(http);
    }

    /// Load balancers and orchestrators probe /health, /health/live and /health/ready; throttling them would
    /// take a healthy replica out.
    private static bool IsHealth(HttpRequest request) => request.Path.StartsWithSegments(HealthPath, StringComparison.OrdinalIgnoreCase);

    /// A bucket of `burst` requests refilled at `perMinute`, so a rejected lease's Retry-After is the time until
    /// the next request is allowed. No queueing: over the limit is a 429 now. Refilled continuously on the app's
    /// clock (<see cref="ClockedTokenBucket"/>): no timer per partition and no whole token dropped in at a random
    /// moment of a period. One factory per limit, so choosing a partition allocates no closure.
    internal static Func<string, RateLimiter> Bucket(TimeProvider time, int perMinute, int burst)
    {
        var shape = perMinute == 0 ? null : new ClockedTokenBucket.Shape(time, perMinute, burst);
        return _ => shape is null ? throw new InvalidOperationException("A limit of 0 has no bucket.") : new ClockedTokenBucket(shape);
    }

    public void Dispose()
    {
        _global.Dispose();
        _failures?.Dispose();
    }
}
