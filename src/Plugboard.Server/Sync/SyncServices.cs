namespace Plugboard.Server.Sync;

public static class SyncServices
{
    public static IServiceCollection AddPlugboardSync(this IServiceCollection services)
    {
        services.AddScoped<SyncExport>();
        services.AddScoped<SyncImport>();
        services.AddScoped<ImportedCatalogue>();
        services.AddScoped<ImportedConnections>();
        return services;
    }
}
