using Microsoft.AspNetCore.Authentication;
using Plugboard.Server.Access;

namespace Plugboard.Server.Platform;

public static class PlatformServices
{
    /// The operator key's settings (checked on start), the disabled-platform cache and the API keys found.
    public static IServiceCollection AddPlugboardPlatform(this IServiceCollection services)
    {
        services.AddSingleton(sp => OperatorOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<PlatformStatus>();
        services.AddSingleton<KnownApiKeys>();
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

    /// The API-key scheme: `Authorization: Bearer sk-...`.
    public static IServiceCollection AddApiKeyAuth(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        return services;
    }
}
