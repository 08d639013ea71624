using Plugboard.Server.Data;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.OAuth;

/// The background worker waits on the injected clock: moving the fake clock past its jittered first tick
/// runs a scan at once, with no real waiting.
public sealed class RefreshWorkerClockTests(WorkerOnOAuthFixture fixture) : IClassFixture<WorkerOnOAuthFixture>
{
    [Fact]
    public async Task Worker_FakeClockMovedPastItsFirstTick_RefreshesWhatIsDue()
    {
        var admin = fixture.App.Client();
        var projectId = await admin.CreateProjectAsync();
        var (clientId, secret) = fixture.NewClient();
        await fixture.SeedAsync(admin, projectId, clientId, secret);
        var refreshed = fixture.Provider.WhenCalledAsync(clientId, "refresh_token");
        Assert.False(refreshed.IsCompleted);

        // Past the refresh margin, and past the first tick (at most one interval, 30 s, after start).
        fixture.Time.Advance(TimeSpan.FromMinutes(50));

        await refreshed.WaitAsync(TimeSpan.FromSeconds(10));
        await fixture.Provider.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, fixture.Calls(clientId, "refresh_token"));
    }
}

/// The OAuth fixture with the background worker on (its default 30 s interval), on the fake clock.
public sealed class WorkerOnOAuthFixture() : OAuthFixture(DatabaseEngine.Sqlite)
{
    protected override Dictionary<string, string?> AppSettings()
    {
        var settings = Settings();
        settings["PLUGBOARD_REFRESH_WORKER"] = "true";
        return settings;
    }
}
