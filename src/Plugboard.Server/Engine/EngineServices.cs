using Microsoft.AspNetCore.Authentication;

namespace Plugboard.Server.Engine;

public static class EngineServices
{
    public static IServiceCollection AddPlugboardEngine(this IServiceCollection services)
    {
        services.AddSingleton(sp => EngineOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<ValidatedTokens>();
        services.AddSingleton<EngineReadCache>();
        services.AddSingleton<EngineTokens>();
        services.AddSingleton<ReadAudit>();
        services.AddSingleton<ReadAuditWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<ReadAuditWriter>());
        return services;
    }

    /// The engine-token scheme and the policy of the worker routes; API keys never satisfy it.
    public static IServiceCollection AddEngineTokenAuth(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, EngineTokenAuthentication>(EngineTokenAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(EngineTokenAuthentication.Policy, p => p
                .AddAuthenticationSchemes(EngineTokenAuthentication.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(EngineTokens.TokenIdClaim));
        return services;
    }
}
