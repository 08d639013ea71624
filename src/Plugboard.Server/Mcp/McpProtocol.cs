using Microsoft.AspNetCore.Authentication;
using ModelContextProtocol.Protocol;
using Plugboard.Server.Http;

namespace Plugboard.Server.Mcp;

/// `/mcp`: MCP over Streamable HTTP with the official SDK, stateless (no session to pin to a replica: any replica answers
/// any request, and each request is authenticated afresh by its token). The token selects the server, so the tools and
/// the project; each token has its own rate budget (PLUGBOARD_RATE_LIMIT_PER_MCP_TOKEN_PER_MINUTE).
public static class McpProtocol
{
    public const string Path = "/mcp";

    public static IServiceCollection AddPlugboardMcp(this IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, McpTokenAuthentication>(McpTokenAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(McpTokenAuthentication.Policy, p =>
        {
            p.AddAuthenticationSchemes(McpTokenAuthentication.SchemeName).RequireAuthenticatedUser();
            McpCaller.RequireIn(p);
        });
        services.AddScoped<McpToolCalls>();
        services.AddMcpServer(o =>
            {
                o.ServerInfo = new Implementation { Name = "plugboard", Version = typeof(McpProtocol).Assembly.GetName().Version?.ToString(3) ?? "1.0.0" };
                o.ServerInstructions =
                    "Tools of one project's connected apps. list_connections shows the project's connections; each other tool calls one " +
                    "connection's API with its credential added by Plugboard (you never see it): give method, path (relative to the API), query and body.";
            })
            .WithHttpTransport(o => o.Stateless = true)
            .WithListToolsHandler((request, ct) => Calls(request.Services).ListAsync(McpCaller.From(request.User), ct))
            .WithCallToolHandler((request, ct) => Calls(request.Services).CallAsync(McpCaller.From(request.User), request.Params, ct));
        return services;
    }

    public static IEndpointRouteBuilder MapMcpProtocol(this IEndpointRouteBuilder routes)
    {
        routes.MapMcp(Path).RequireAuthorization(McpTokenAuthentication.Policy).SpendsMcpTokenBudget().ExcludeFromDescription();
        return routes;
    }

    private static McpToolCalls Calls(IServiceProvider? services) =>
        (services ?? throw new InvalidOperationException("An MCP request without its request services.")).GetRequiredService<McpToolCalls>();
}
