using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Plugboard.Server.Access;
using Plugboard.Server.Engine;
using Plugboard.Server.Platform;

namespace Plugboard.Server.OpenApi;

/// One bearer security scheme per kind of credential, and on each operation the credentials its
/// authorization policies really accept (any one of them), or none on anonymous routes.
public sealed class OpenApiSecurity : IOpenApiOperationTransformer
{
    public const string PlatformApiKey = "platformApiKey";
    public const string ProjectApiKey = "projectApiKey";
    public const string SessionToken = "sessionToken";
    public const string EngineToken = "engineToken";
    public const string OperatorKey = "operatorKey";

    /// The management routes' default policy: any API key or an embedded user's session.
    private static readonly string[] AnyManagementCredential = [PlatformApiKey, ProjectApiKey, SessionToken];

    /// Policies that can refuse an authenticated caller (403), with the credentials they let through.
    public static readonly IReadOnlyDictionary<string, string[]> RefusingPolicies = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [Policies.PlatformKey] = [PlatformApiKey],
        [Policies.ApiKeyOnly] = [PlatformApiKey, ProjectApiKey],
        [Policies.ProjectWrite] = AnyManagementCredential,
        [Policies.ProjectAdmin] = AnyManagementCredential,
    };

    /// Policies run by a scheme of their own: whoever that scheme authenticates passes.
    private static readonly IReadOnlyDictionary<string, string[]> SchemePolicies = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [OperatorKeyAuthentication.Policy] = [OperatorKey],
        [EngineTokenAuthentication.Policy] = [EngineToken],
        [PlatformServices.PlatformOwnerPolicy] = [OperatorKey, PlatformApiKey],
    };

    public static Dictionary<string, IOpenApiSecurityScheme> Schemes() => new(StringComparer.Ordinal)
    {
        [PlatformApiKey] = Bearer("sk-...", "A platform API key (sk-...): the whole platform. The admin key is in <data dir>/admin-api-key on first start."),
        [ProjectApiKey] = Bearer("sk-...", "A project-scoped API key (sk-..., POST /api/v1/api-keys with a projectId): one project only."),
        [SessionToken] = Bearer("JWT", "An embedded user's session token (a JWT from POST /api/v1/managed-authn/external-token): one project, within the user's role."),
        [EngineToken] = Bearer("JWT", "A short-lived engine token (a JWT from POST /api/v1/engine-tokens) bound to one project: the worker routes only."),
        [OperatorKey] = Bearer("operator key", "The operator key (PLUGBOARD_OPERATOR_KEY): the /api/v1/platforms routes only."),
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var accepted = Accepted(context.Description.ActionDescriptor.EndpointMetadata);
        operation.Security = accepted
            .Select(scheme => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] })
            .ToList();
        return Task.CompletedTask;
    }

    /// The credentials that open a route: every policy on it must pass, so their sets intersect. None: anonymous.
    public static IReadOnlyList<string> Accepted(IList<object> metadata)
    {
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return [];
        }
        var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).ToList();
        if (policies.Count == 0)
        {
            return [];
        }
        IEnumerable<string> accepted = policies.Any(p => p is not null && SchemePolicies.ContainsKey(p))
            ? SchemePolicies.Values.SelectMany(s => s)
            : AnyManagementCredential;
        foreach (var policy in policies.OfType<string>())
        {
            var opens = RefusingPolicies.GetValueOrDefault(policy) ?? SchemePolicies.GetValueOrDefault(policy)
                ?? throw new InvalidOperationException($"The OpenAPI document does not know which credentials the policy '{policy}' accepts.");
            accepted = accepted.Intersect(opens);
        }
        return accepted.ToList();
    }

    public static bool CanRefuse(IList<object> metadata) =>
        !metadata.OfType<IAllowAnonymous>().Any() &&
        metadata.OfType<IAuthorizeData>().Any(a => a.Policy is not null && RefusingPolicies.ContainsKey(a.Policy));

    private static OpenApiSecurityScheme Bearer(string format, string description) => new()
    {
        Type = SecuritySchemeType.Http,
        Scheme = "bearer",
        BearerFormat = format,
        Description = description,
    };
}
