using Plugboard.Server.Maintenance;

namespace Plugboard.Server.Webhooks;

public static class WebhookServices
{
    /// The delivery worker (off with PLUGBOARD_WEBHOOKS_WORKER=false) and rewrap's step for the signing secrets.
    /// The outbound client is OAuth's (AddPlugboardOAuth registers it).
    public static IServiceCollection AddPlugboardWebhooks(this IServiceCollection services)
    {
        services.AddSingleton(sp => WebhookOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<ISecretStore, WebhookRewrap>();
        services.AddSingleton<WebhookWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookWorker>());
        return services;
    }
}
