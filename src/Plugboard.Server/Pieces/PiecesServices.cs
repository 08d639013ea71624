namespace Plugboard.Server.Pieces;

public static class PiecesServices
{
    public static IServiceCollection AddPlugboardPieces(this IServiceCollection services)
    {
        services.AddSingleton(sp => PiecesOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        return services;
    }
}
