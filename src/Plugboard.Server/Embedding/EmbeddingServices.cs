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
}
