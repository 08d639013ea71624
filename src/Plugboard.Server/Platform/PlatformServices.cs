using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Plugboard.Server.Platform;

public static class PlatformServices
{
    /// Bearer API keys for every route; the PlatformKey policy admits platform keys only.
    public static IServiceCollection AddApiKeyAuth(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new AuthorizationPolicyBuilder(ApiKeyAuthentication.SchemeName).RequireAuthenticatedUser().Build())
            .AddPolicy(ApiKeyAuthentication.PlatformKeyPolicy, p => p
                .AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName)
                .RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.FindFirst(ClaimNames.ActorType)?.Value == Caller.PlatformKeyActor));
        return services;
    }
}
