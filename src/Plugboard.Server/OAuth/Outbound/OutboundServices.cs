namespace Plugboard.Server.OAuth.Outbound;

public static class OutboundServices
{
    public static IServiceCollection AddOutboundHttp(this IServiceCollection services)
    {
        services.AddSingleton(sp => OutboundOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<OutboundHttp>();
        return services;
    }
}
