using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Plugboard.Server.Access;
using Plugboard.Server.Data;
using Plugboard.Server.Engine;
using Plugboard.Server.Http;
using Plugboard.Server.Projects;

namespace Plugboard.Server.Proxy;

/// The authenticated proxy (issue 14): a call to a connection's API with its credential injected by the server, so the
/// caller never holds it. `/api/v1/worker/proxy/:externalId/…` for engine tokens (their project's connections, as
/// the engine read), `/api/v1/proxy/:externalId/…?projectId=` for API keys and embedded users (reads for every role,
/// other methods for EDITOR and ADMIN).
public static class ProxyApi
{
    /// The methods the proxy forwards (and an MCP API tool may name).
    public static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    private const string ProjectIdParameter = "projectId";

    public static IEndpointRouteBuilder MapProxy(this IEndpointRouteBuilder routes)
    {
        foreach (var method in Methods)
        {
            var name = method[0] + method[1..].ToLowerInvariant();
            routes.MapMethods($"{WorkerApi.Prefix}/proxy/{{externalId}}/{{**path}}", [method], ForEngine)
                .RequireAuthorization(EngineTokenAuthentication.Policy).SpendsEngineTokenBudget()
                .WithTags("Proxy").WithName($"Proxy{name}ForEngine").WithSummary($"{method} a connection's API with its credential injected (engine token)")
                .Produces(StatusCodes.Status200OK).ProducesApiError(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status502BadGateway)
                .AddOpenApiOperationTransformer(DescribeUpstreamAnswer);
            var forKeys = routes.MapMethods("/api/v1/proxy/{externalId}/{**path}", [method], ForKeyOrUser);
            _ = method == "GET" ? forKeys.RequireAuthorization() : forKeys.RequireAuthorization(Policies.ProjectWrite);
            forKeys.WithTags("Proxy").WithName($"Proxy{name}").WithSummary($"{method} a connection's API with its credential injected")
                .Produces(StatusCodes.Status200OK).ProducesApiError(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status502BadGateway)
                .AddOpenApiOperationTransformer(DescribeUpstreamAnswer);
        }
        return routes;
    }

    /// The 200 stands for whatever the upstream answered; its header tells it from the server's own errors.
    private static Task DescribeUpstreamAnswer(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (operation.Responses?.TryGetValue("200", out var answer) == true && answer is OpenApiResponse response)
        {
            response.Description = "The connection's API answer, with its status (any status), safe headers and body.";
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers[ProxyForwarder.UpstreamHeader] = new OpenApiHeader
            {
                Description = "\"true\" on every answer that is the upstream's; an error without it is Plugboard's own, in the error body.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
        }
        return Task.CompletedTask;
    }

    private static Task<IResult> ForEngine(HttpContext http, ProxyForwarder forwarder, string externalId, string? path, CancellationToken ct)
    {
        var caller = EngineCaller.From(http.User);
        return forwarder.ForwardAsync(http,
            new ProxyCall(caller.PlatformId, caller.ProjectId, externalId, EmbeddedOnly: false, EngineCaller.ActorType, caller.TokenId, path, http.Request.QueryString,
                caller.TestRun), ct);
    }

    private static async Task<IResult> ForKeyOrUser(
        HttpContext http, Caller caller, PlugboardDb db, ProxyForwarder forwarder, string externalId, string? path, string? projectId, CancellationToken ct)
    {
        var project = await db.ResolveProjectAsync(caller, projectId, ct);
        if (!project.TryGetValue(out var resolved, out var denied))
        {
            return new ApiErrorResult(denied);
        }
        // projectId picks the project here; it is not the upstream's.
        var query = QueryString.Create(http.Request.Query.Where(q => q.Key != ProjectIdParameter));
        return await forwarder.ForwardAsync(http,
            new ProxyCall(caller.PlatformId, resolved, externalId, caller.IsUser, caller.ActorType, caller.ActorId, path, query), ct);
    }
}
