using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Maintenance;
using Plugboard.Server.Outbox;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Server.Tests.Startup;
using Plugboard.Server.Webhooks;

namespace Plugboard.Server.Tests.Webhooks;

/// Rewrap moves the endpoints' signing secrets too, so the old key can be retired and deliveries still sign.
public abstract class WebhookRewrapTests(DatabaseEngine engine)
{
    [Fact]
    public async Task Rewrap_MovesSigningSecretsToTheNewestKey_ThenTheOldKeyCanGo()
    {
        await using var storage = await TestStorage.CreateAsync(engine);
        var (k1, k2) = (TestKey.New(), TestKey.New());
        string id, secret;
        await using (var app = Restarts.Start(storage, Restarts.Keys(k1)))
        {
            var created = (await app.Client().ApiPostAsync("/api/v1/webhooks", new { url = "https://hooks.example.com/plugboard", events = new[] { WebhookEvents.Created } }))
                .AssertStatus(HttpStatusCode.Created);
            (id, secret) = (created.Str("id"), created.Str("secret"));
        }

        await using (var rotated = Restarts.Start(storage, Restarts.Keys(k2, k1)))
        {
            await using var scope = rotated.Services.CreateAsyncScope();
            var services = scope.ServiceProvider;
            var report = await Rewrap.RunAsync(services.GetRequiredService<PlugboardDb>(), services.GetRequiredService<SecretProtector>(), default,
                services.GetServices<ISecretStore>());
            Assert.Empty(report.FailedIds);
            Assert.Equal([k1.Id], report.RetiredKeyIds);
        }

        await using var after = Restarts.Start(storage, Restarts.Keys(k2));
        var row = await after.WithDbAsync(db => db.WebhookEndpoints.AsNoTracking().SingleAsync(e => e.Id == id));
        Assert.StartsWith($"v1:{k2.Id}:", row.Secret, StringComparison.Ordinal);
        Assert.Equal(secret, after.Services.GetRequiredService<SecretProtector>().Unprotect(row.Secret, WebhookSigning.Context(row)));
    }
}

public sealed class WebhookRewrapSqliteTests() : WebhookRewrapTests(DatabaseEngine.Sqlite);

public sealed class WebhookRewrapPostgresTests() : WebhookRewrapTests(DatabaseEngine.Postgres);
