namespace Plugboard.Server.Http;

/// Endpoint metadata: the route's callers are tokens of one kind, so each token spends that kind's budget instead of
/// the per-credential one: engine tokens PLUGBOARD_RATE_LIMIT_PER_ENGINE_TOKEN_PER_MINUTE, MCP server tokens
/// PLUGBOARD_RATE_LIMIT_PER_MCP_TOKEN_PER_MINUTE. The route declares it; the rate limiter reads it from the matched
/// endpoint, so this folder knows no feature's paths.
public sealed class TokenBudget
{
    public static readonly TokenBudget Engine = new();
    public static readonly TokenBudget Mcp = new();

    private TokenBudget()
    {
    }
}

public static class TokenBudgetMetadata
{
    public static TBuilder SpendsEngineTokenBudget<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(TokenBudget.Engine);

    public static TBuilder SpendsMcpTokenBudget<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(TokenBudget.Mcp);
}
