using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Embed;
using Plugboard.Server.Maintenance;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Startup;

/// Rewrap moves the Connect screen's live sessions too (their session tokens), so the old key can be retired with no
/// popup in use broken; expired sessions are dropped rather than moved.
public abstract class EmbedRewrapTests(DatabaseEngine engine)
{
    [Fact]
    public async Task Rewrap_MovesLiveEmbedSessionsAndDropsExpiredOnes_ThenTheOldKeyCanGo()
    {
        await using var storage = await TestStorage.CreateAsync(engine);
        var (k1, k2) = (TestKey.New(), TestKey.New());
        var live = new string('a', 64);
        var expired = new string('b', 64);
        const string Token = "eyJembed-rewrap-canary";
        await using (var app = Restarts.Start(storage, Restarts.Keys(k1)))
        {
            var protector = app.Services.GetRequiredService<SecretProtector>();
            var platformId = await app.WithDbAsync(db => db.Set<Plugboard.Server.Platform.PlatformEntity>().Select(p => p.Id).FirstAsync());
            await app.WithDbAsync(db =>
            {
                foreach (var (id, expires) in new[] { (live, DateTime.UtcNow.AddMinutes(10)), (expired, DateTime.UtcNow.AddMinutes(-1)) })
                {
                    db.EmbedSessions.Add(new EmbedSession
                    {
                        Id = id, PlatformId = platformId, ProjectId = "pj", UserId = "us", Origin = "https://saas.example",
                        SessionToken = protector.Protect(Token, EmbedSessions.ContextOf(id)), Created = DateTime.UtcNow, Expires = expires,
                    });
                }
                return db.SaveChangesAsync();
            });
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
        var rows = await after.WithDbAsync(db => db.EmbedSessions.AsNoTracking().ToListAsync());
        var row = Assert.Single(rows);
        Assert.Equal(live, row.Id);
        Assert.StartsWith($"v1:{k2.Id}:", row.SessionToken, StringComparison.Ordinal);
        Assert.Equal(Token, after.Services.GetRequiredService<SecretProtector>().Unprotect(row.SessionToken, EmbedSessions.ContextOf(live)));
    }
}

public sealed class EmbedRewrapSqliteTests() : EmbedRewrapTests(DatabaseEngine.Sqlite);

public sealed class EmbedRewrapPostgresTests() : EmbedRewrapTests(DatabaseEngine.Postgres);
