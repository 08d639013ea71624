using Plugboard.Server.Connections;

namespace Plugboard.Server.Flows;

public static class FlowServices
{
    public static IServiceCollection AddPlugboardFlows(this IServiceCollection services)
    {
        services.AddScoped<IConnectionUsage, FlowConnectionUsage>();
        return services;
    }
}
