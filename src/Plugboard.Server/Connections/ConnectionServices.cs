using Plugboard.Server.Projects;

namespace Plugboard.Server.Connections;

public static class ConnectionServices
{
    /// This folder's own services. What it asks of others (IConnectionUsage,
    /// IConnectionClaim) Flows and OAuth register; what Projects asks of it (IProjectConnections) it answers here.
    public static IServiceCollection AddPlugboardConnections(this IServiceCollection services)
    {
        services.AddSingleton<ConnectionPages>();
        services.AddScoped<ConnectionUpserter>();
        services.AddScoped<DefinitionWrites>();
        services.AddScoped<DefinitionConnections>();
        services.AddScoped<PieceAuthCheck>();
        services.AddScoped<IProjectConnections, ProjectConnections>();
        return services;
    }
}
