using Microsoft.Extensions.DependencyInjection;
using Plugboard.Server.Data;
using Plugboard.Server.Tests.OAuth;
using Plugboard.Server.Webhooks;

namespace Plugboard.Server.Tests.Webhooks;

/// The OAuth fixture (hand-moved clock, the fake provider, workers off) plus a webhook receiver on 127.0.0.1, which
/// the outbound allow-list lets the server reach. Tests run the delivery worker's pass themselves.
public abstract class WebhookFixture(DatabaseEngine engine) : OAuthFixture(engine)
{
    public WebhookReceiver Receiver { get; private set; } = null!;

    protected override Dictionary<string, string?> AppSettings()
    {
        var settings = Settings();
        settings["PLUGBOARD_OUTBOUND_ALLOWED_HOSTS"] = "127.0.0.1";
        settings["PLUGBOARD_WEBHOOKS_WORKER"] = "false";
        return settings;
    }

    protected override async ValueTask StartedAsync()
    {
        await base.StartedAsync();
        Receiver = await WebhookReceiver.StartAsync();
    }

    protected override async ValueTask StoppedAsync()
    {
        if (Receiver is not null)
        {
            await Receiver.DisposeAsync();
        }
        await base.StoppedAsync();
    }

    public Task<int> DeliverOnceAsync() => App.Services.GetRequiredService<WebhookWorker>().RunOnceAsync(CancellationToken.None);
}

public sealed class SqliteWebhookFixture() : WebhookFixture(DatabaseEngine.Sqlite);

public sealed class PostgresWebhookFixture() : WebhookFixture(DatabaseEngine.Postgres);
