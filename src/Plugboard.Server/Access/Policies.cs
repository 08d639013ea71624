using Microsoft.AspNetCore.Authorization;

namespace Plugboard.Server.Access;

/// The authorization policies routes name. Every one authenticates through <see cref="BearerScheme"/>, the
/// forwarding scheme that picks the handler for the presented credential (registered at the composition root).
public static class Policies
{
    /// The bearer credential of the management routes: an API key (`sk-...`) or an embedded user's session token.
    public const string BearerScheme = "Bearer";

    /// Platform API keys only.
    public const string PlatformKey = "PlatformKey";
    /// Platform-wide reads (the pieces registry): API keys only, never an embedded user.
    public const string ApiKeyOnly = "ApiKeyOnly";
    /// Writes to a project's connections and flows: keys, and users with EDITOR or ADMIN.
    public const string ProjectWrite = "ProjectWrite";
    /// The project itself and its members: keys, and users with ADMIN.
    public const string ProjectAdmin = "ProjectAdmin";

    /// Default policy: any API key or session. The role policies bound what an embedded user's role allows;
    /// keys pass them (a project key is already bound to its project).
    public static IServiceCollection AddPlugboardPolicies(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new AuthorizationPolicyBuilder(BearerScheme).RequireAuthenticatedUser().Build())
            .AddPolicy(PlatformKey, p => p
                .AddAuthenticationSchemes(BearerScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.FindFirst(ClaimNames.ActorType)?.Value == Caller.PlatformKeyActor))
            .AddPolicy(ApiKeyOnly, p => p
                .AddAuthenticationSchemes(BearerScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.FindFirst(ClaimNames.ActorType)?.Value is Caller.PlatformKeyActor or Caller.ProjectKeyActor))
            .AddPolicy(ProjectWrite, p => p
                .AddAuthenticationSchemes(BearerScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(c => Allows(c, ProjectRole.Editor)))
            .AddPolicy(ProjectAdmin, p => p
                .AddAuthenticationSchemes(BearerScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(c => Allows(c, ProjectRole.Admin)));
        return services;
    }

    // Every requirement of a policy is evaluated, even after "authenticated" failed: no caller, no rights.
    private static bool Allows(AuthorizationHandlerContext context, ProjectRole needed) =>
        context.User.Identity?.IsAuthenticated == true && Caller.From(context.User).Allows(needed);
}
