using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Plugboard.Server.Embedding;
using Plugboard.Server.Engine;
using Plugboard.Server.Projects;

namespace Plugboard.Server.Platform;

public static class PlatformServices
{
    /// The operator key's settings (checked on start) and the disabled-platform cache.
    public static IServiceCollection AddPlugboardPlatform(this IServiceCollection services)
    {
        services.AddSingleton(sp => OperatorOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<PlatformStatus>();
        return services;
    }

    /// The operator-key scheme and the Operator policy of /api/v1/platforms; no other route runs this scheme.
    public static IServiceCollection AddOperatorAuth(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, OperatorKeyAuthentication>(OperatorKeyAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(OperatorKeyAuthentication.Policy, p => p
                .AddAuthenticationSchemes(OperatorKeyAuthentication.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(ClaimNames.ActorType, OperatorKeyAuthentication.ActorType));
        return services;
    }

    /// The bearer credential of the management routes: an API key (`sk-...`) or an embedded user's session
    /// token (a JWT). One forwarding scheme picks the handler, so a refusal is answered once, by the right one.
    public const string BearerScheme = "Bearer";

    /// Default policy: any API key or session. PlatformKey: platform keys only. The others bound what an
    /// embedded user's role allows; keys pass them (a project key is already bound to its project).
    public static IServiceCollection AddApiKeyAuth(this IServiceCollection services)
    {
        services.AddAuthentication(BearerScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, SessionAuthentication>(SessionAuthentication.SchemeName, null)
            .AddPolicyScheme(BearerScheme, null, o => o.ForwardDefaultSelector = SelectScheme);
        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new AuthorizationPolicyBuilder(BearerScheme).RequireAuthenticatedUser().Build())
            .AddPolicy(ApiKeyAuthentication.PlatformKeyPolicy, p => p
                .AddAuthenticationSchemes(BearerScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.FindFirst(ClaimNames.ActorType)?.Value == Caller.PlatformKeyActor))
            .AddPolicy(ApiKeyOnlyPolicy, p => p
                .AddAuthenticationSchemes(BearerScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.FindFirst(ClaimNames.ActorType)?.Value is Caller.PlatformKeyActor or Caller.ProjectKeyActor))
            .AddPolicy(ProjectWritePolicy, p => p
                .AddAuthenticationSchemes(BearerScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(c => Allows(c, ProjectRole.Editor)))
            .AddPolicy(ProjectAdminPolicy, p => p
                .AddAuthenticationSchemes(BearerScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(c => Allows(c, ProjectRole.Admin)));
        return services;
    }

    /// The engine routes take only engine tokens, so their JWT goes straight to that scheme: the session
    /// scheme, which does not apply there, neither runs nor logs a failure on every engine read.
    private static string SelectScheme(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(WorkerApi.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return EngineTokenAuthentication.SchemeName;
        }
        return context.Request.Headers.Authorization.ToString().StartsWith("Bearer eyJ", StringComparison.OrdinalIgnoreCase)
            ? SessionAuthentication.SchemeName
            : ApiKeyAuthentication.SchemeName;
    }

    // Every requirement of a policy is evaluated, even after "authenticated" failed: no caller, no rights.
    private static bool Allows(AuthorizationHandlerContext context, ProjectRole needed) =>
        context.User.Identity?.IsAuthenticated == true && Caller.From(context.User).Allows(needed);

    /// Writes to a project's connections and flows: keys, and users with EDITOR or ADMIN.
    public const string ProjectWritePolicy = "ProjectWrite";
    /// The project itself and its members: keys, and users with ADMIN.
    public const string ProjectAdminPolicy = "ProjectAdmin";
    /// Platform-wide reads (the pieces registry): API keys only, never an embedded user.
    public const string ApiKeyOnlyPolicy = "ApiKeyOnly";
}
