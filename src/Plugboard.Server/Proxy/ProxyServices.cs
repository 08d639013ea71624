namespace Plugboard.Server.Proxy;

public static class ProxyServices
{
    public static IServiceCollection AddPlugboardProxy(this IServiceCollection services)
    {
        services.AddSingleton(sp => ProxyOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<ProxyTargetCache>();
        services.AddScoped<ProxyTargets>();
        services.AddScoped<ProxyForwarder>();
        return services;
    }
}
