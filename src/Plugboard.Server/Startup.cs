using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Embedding;
using Plugboard.Server.Engine;
using Plugboard.Server.Flows;
using Plugboard.Server.OAuth;
using Plugboard.Server.Pieces;
using Plugboard.Server.Platform;
using Plugboard.Server.Proxy;
using Plugboard.Server.Sync;
using Plugboard.Server.Webhooks;

namespace Plugboard.Server;

/// What runs before the server answers anything: schema migrations, the key ring check, first-start bootstrap.
public static class Startup
{
    /// The services every Plugboard process needs (the server, the rewrap command, the benchmarks):
    /// storage, the key ring and protector, and the connection writer. HTTP concerns stay in Program.
    public static IServiceCollection AddPlugboardCore(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddPlugboardData();
        services.AddSingleton<KeyRingProvider>();
        services.AddSingleton(sp => new SecretProtector(sp.GetRequiredService<KeyRingProvider>().Current));
        services.AddSingleton<ServerTokens>();
        services.AddPlugboardConnections();
        services.AddPlugboardSync();
        services.AddPlugboardProxy();
        services.AddPlugboardFlows();
        services.AddPlugboardOAuth();
        services.AddPlugboardEngine();
        services.AddPlugboardPieces();
        services.AddPlugboardEmbedding();
        services.AddPlugboardPlatform();
        services.AddPlugboardWebhooks();
        return services;
    }

    public static async Task InitializeAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<PlugboardDb>();
        var configuration = sp.GetRequiredService<IConfiguration>();
        var storage = sp.GetRequiredService<StorageOptions>();
        var time = sp.GetRequiredService<TimeProvider>();
        var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Plugboard.Startup");

        // Settings are checked before anything is touched, with a message that says what to set.
        _ = sp.GetRequiredService<RefreshOptions>();
        _ = sp.GetRequiredService<WebhookOptions>();
        _ = sp.GetRequiredService<EngineOptions>();
        _ = sp.GetService<Http.RateLimitOptions>(); // registered by the server host only
        _ = sp.GetRequiredService<EmbeddingOptions>();
        _ = sp.GetRequiredService<OperatorOptions>();
        await DataServices.MigrateAsync(db, ct);
        var ring = await KeyRingLoader.LoadAndVerifyAsync(configuration, storage, db, time, logger, ct);
        sp.GetRequiredService<KeyRingProvider>().Set(ring);
        await PlatformBootstrap.RunAsync(configuration, storage, db, time, logger, ct);
    }
}
