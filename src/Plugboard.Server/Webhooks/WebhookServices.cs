using Microsoft.EntityFrameworkCore.Diagnostics;
using Plugboard.Server.Maintenance;
using Plugboard.Server.Outbox;

namespace Plugboard.Server.Webhooks;

public static class WebhookServices
{
    /// The delivery worker (off with PLUGBOARD_WEBHOOKS_WORKER=false), the commit signal that wakes it, and rewrap's
    /// step for the signing secrets.
    /// The outbound client is OAuth's (AddPlugboardOAuth registers it).
    public static IServiceCollection AddPlugboardWebhooks(this IServiceCollection services)
    {
        services.AddSingleton(sp => WebhookOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<ISecretStore, WebhookRewrap>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<IInterceptor>(sp => new OutboxCommitInterceptor(sp.GetRequiredService<OutboxSignal>()));
        services.AddSingleton<WebhookWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookWorker>());
        return services;
    }
}
