using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Maintenance;
using Plugboard.Server.Pages;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Startup;

/// Rewrap moves the console's secrets too: a session's API key and the Data Protection key ring, so the old key can be
/// retired with nobody signed out and no antiforgery token voided.
public abstract class ConsoleRewrapTests(DatabaseEngine engine)
{
    [Fact]
    public async Task Rewrap_MovesConsoleSessionsAndTheKeyRing_ThenTheOldKeyCanGo()
    {
        await using var storage = await TestStorage.CreateAsync(engine);
        var (k1, k2) = (TestKey.New(), TestKey.New());
        const string SessionId = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        const string ApiKey = "sk-console-rewrap-canary-0123456789";
        string sealedPayload;
        await using (var app = Restarts.Start(storage, Restarts.Keys(k1)))
        {
            var protector = app.Services.GetRequiredService<SecretProtector>();
            await app.WithDbAsync(db =>
            {
                db.ConsoleSessions.Add(new ConsoleSession
                {
                    Id = SessionId, ApiKey = protector.Protect(ApiKey, ConsoleSessions.ContextOf(SessionId)),
                    Created = DateTime.UtcNow, Expires = DateTime.UtcNow.AddHours(1), LastSeen = DateTime.UtcNow,
                });
                return db.SaveChangesAsync();
            });
            // The first Protect creates the ring's key, stored encrypted by the console's key repository.
            sealedPayload = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("rewrap-test").Protect("still readable");
        }

        await using (var rotated = Restarts.Start(storage, Restarts.Keys(k2, k1)))
        {
            await using var scope = rotated.Services.CreateAsyncScope();
            var services = scope.ServiceProvider;
            var report = await Rewrap.RunAsync(services.GetRequiredService<PlugboardDb>(), services.GetRequiredService<SecretProtector>(), default,
                services.GetServices<ISecretStore>());
            Assert.Empty(report.FailedIds);
            Assert.Equal([k1.Id], report.RetiredKeyIds);
            Assert.True(report.Rewrapped >= 2, $"moved {report.Rewrapped}");
        }

        await using var after = Restarts.Start(storage, Restarts.Keys(k2));
        await using (var scope = after.Services.CreateAsyncScope())
        {
            Assert.Equal(ApiKey, await scope.ServiceProvider.GetRequiredService<ConsoleSessions>().KeyOfAsync(SessionId, default));
        }
        Assert.Equal("still readable", after.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("rewrap-test").Unprotect(sealedPayload));
        var ring = await after.WithDbAsync(db => db.DataProtectionKeys.Select(k => k.Xml).ToListAsync());
        Assert.All(ring, xml => Assert.All(XElement.Parse(xml).Descendants("plugboardEncrypted"), e => Assert.StartsWith($"v1:{k2.Id}:", e.Value, StringComparison.Ordinal)));
    }
}

public sealed class ConsoleRewrapSqliteTests() : ConsoleRewrapTests(DatabaseEngine.Sqlite);

public sealed class ConsoleRewrapPostgresTests() : ConsoleRewrapTests(DatabaseEngine.Postgres);
