using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Plugboard.Client.Http;

/// Which requests the resilience pipeline may send again. Only a call that changes nothing when it arrives
/// twice is marked: reads, deletes (a second delete answers 404, which the caller sees) and the upserts,
/// which are keyed by externalId, stableKey, pieceName or provider name. Creates, rotations, refreshes,
/// token issuing and proxied calls are never retried: a lost answer must not become two keys, two tokens
/// or a payment sent twice.
internal static class Retries
{
    private static readonly HttpRequestOptionsKey<bool> RetryableKey = new("Plugboard.Retryable");

    public static void MarkRetryable(HttpRequestMessage request) => request.Options.Set(RetryableKey, true);

    public static bool IsRetryable(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(RetryableKey, out var retryable) && retryable;

    /// Transient failures (connection errors, timeouts, 408, 429, 5xx) of a retryable request; the delay
    /// honours Retry-After and otherwise backs off exponentially with jitter.
    public static void Configure(HttpRetryStrategyOptions retry, int maxAttempts, TimeSpan delay)
    {
        // Polly needs at least one attempt configured; zero means "never retry" and is the predicate's job.
        retry.MaxRetryAttempts = Math.Max(1, maxAttempts);
        retry.Delay = delay;
        retry.UseJitter = true;
        retry.BackoffType = DelayBackoffType.Exponential;
        retry.ShouldRetryAfterHeader = true;
        retry.ShouldHandle = args => ValueTask.FromResult(
            maxAttempts > 0 && IsRetryable(args.Context.GetRequestMessage()) && HttpClientResiliencePredicates.IsTransient(args.Outcome));
    }
}
