using Plugboard.Server.Access;
using Plugboard.Server.Embedding;
using Plugboard.Server.Engine;
using Plugboard.Server.Mcp;
using Plugboard.Server.Platform;

namespace Plugboard.Server;

/// Every authentication scheme, and the one forwarding scheme (<see cref="Policies.BearerScheme"/>) that picks
/// the handler for a bearer credential, so a refusal is answered once, by the right one. It sits at the
/// composition root because it is the one place that knows every feature's scheme.
public static class Authentication
{
    public static IServiceCollection AddPlugboardAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(Policies.BearerScheme)
            .AddPolicyScheme(Policies.BearerScheme, null, o => o.ForwardDefaultSelector = SelectScheme);
        services.AddApiKeyAuth();
        services.AddSessionAuth();
        services.AddEngineTokenAuth();
        services.AddOperatorAuth();
        services.AddPlugboardPolicies();
        return services;
    }

    /// The engine routes take only engine tokens, so their JWT goes straight to that scheme: the session
    /// scheme, which does not apply there, neither runs nor logs a failure on every engine read. /mcp takes only
    /// MCP server tokens, likewise.
    private static string SelectScheme(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(WorkerApi.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return EngineTokenAuthentication.SchemeName;
        }
        if (context.Request.Path.StartsWithSegments(McpProtocol.Path, StringComparison.OrdinalIgnoreCase))
        {
            return McpTokenAuthentication.SchemeName;
        }
        return context.Request.Headers.Authorization.ToString().StartsWith("Bearer eyJ", StringComparison.OrdinalIgnoreCase)
            ? SessionAuthentication.SchemeName
            : ApiKeyAuthentication.SchemeName;
    }
}
