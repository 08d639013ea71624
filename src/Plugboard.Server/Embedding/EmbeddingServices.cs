using Microsoft.AspNetCore.Authentication;

namespace Plugboard.Server.Embedding;

public static class EmbeddingServices
{
    public static IServiceCollection AddPlugboardEmbedding(this IServiceCollection services)
    {
        services.AddSingleton(sp => EmbeddingOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<SessionTokens>();
        services.AddScoped<ExternalTokens>();
        services.AddScoped<EmbeddedProvisioning>();
        return services;
    }

    /// The embedded user's session-token scheme (a JWT this server issued at the token exchange).
    public static IServiceCollection AddSessionAuth(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, SessionAuthentication>(SessionAuthentication.SchemeName, null);
        return services;
    }
}
