using Plugboard.Server.Connections;
using Plugboard.Server.OAuth.Outbound;

namespace Plugboard.Server.OAuth;

public static class OAuthServices
{
    public static IServiceCollection AddPlugboardOAuth(this IServiceCollection services)
    {
        services.AddOutboundHttp();
        services.AddSingleton<OAuthProviderCatalogue>();
        services.AddSingleton(sp => RefreshOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<TokenEndpoint>();
        services.AddSingleton<TokenUrls>();
        services.AddScoped<IConnectionClaim, OAuthClaim>();
        services.AddScoped<LeasedRefresh>();
        services.AddSingleton<TokenRefresher>();
        services.AddSingleton<RefreshWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<RefreshWorker>());
        return services;
    }
}
