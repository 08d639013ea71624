namespace Plugboard.Server.Http;

/// Endpoint metadata: the route's callers are engine tokens, so each token spends the per-engine-token budget
/// (PLUGBOARD_RATE_LIMIT_PER_ENGINE_TOKEN_PER_MINUTE) instead of the per-credential one. The route declares it;
/// the rate limiter reads it from the matched endpoint, so this folder knows no feature's paths.
public sealed class EngineTokenBudget
{
    public static readonly EngineTokenBudget Instance = new();

    private EngineTokenBudget()
    {
    }
}

public static class EngineTokenBudgetMetadata
{
    public static TBuilder SpendsEngineTokenBudget<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(EngineTokenBudget.Instance);
}
