using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Platform;
using Plugboard.Server.Tests.Flows;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.OAuth;

/// The background worker leaves a disabled platform's OAuth connections alone, and takes them up again once the
/// platform is enabled.
public abstract class DisabledPlatformRefreshTests(OAuthFixture fixture)
{
    [Fact]
    public async Task Worker_PlatformDisabled_RefreshesNothingOfItUntilEnabledAgain()
    {
        var (neighbour, projectId) = await fixture.App.OtherPlatformAsync();
        var (clientId, secret) = fixture.NewClient();
        var id = await fixture.SeedAsync(neighbour, projectId, clientId, secret);
        var platformId = (await fixture.RowAsync(id)).PlatformId;
        await SetDisabledAsync(platformId, disabled: true);
        fixture.Time.Advance(TimeSpan.FromMinutes(50));

        await fixture.RunWorkerOnceAsync();

        Assert.Equal(0, fixture.Calls(clientId, "refresh_token"));
        var waiting = await fixture.RowAsync(id);
        Assert.True(waiting.NextRefreshAt <= fixture.Time.GetUtcNow().UtcDateTime, "still due, not rescheduled");
        Assert.Null(waiting.LastRefreshedAt);

        await SetDisabledAsync(platformId, disabled: false);
        await fixture.RunWorkerOnceAsync();

        Assert.Equal(1, fixture.Calls(clientId, "refresh_token"));
        var refreshed = await fixture.RowAsync(id);
        Assert.NotNull(refreshed.LastRefreshedAt);
        Assert.True(refreshed.NextRefreshAt > fixture.Time.GetUtcNow().UtcDateTime);
    }

    private Task SetDisabledAsync(string platformId, bool disabled) => fixture.App.WithDbAsync(db => db.Platforms
        .Where(p => p.Id == platformId)
        .ExecuteUpdateAsync(s => s.SetProperty(p => p.DisabledAt, disabled ? fixture.Time.GetUtcNow().UtcDateTime : null)));
}

public sealed class DisabledPlatformRefreshSqliteTests(SqliteOAuthFixture fixture) : DisabledPlatformRefreshTests(fixture), IClassFixture<SqliteOAuthFixture>;

public sealed class DisabledPlatformRefreshPostgresTests(PostgresOAuthFixture fixture) : DisabledPlatformRefreshTests(fixture), IClassFixture<PostgresOAuthFixture>;
