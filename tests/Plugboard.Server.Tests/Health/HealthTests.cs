using System.Net;
using Npgsql;
using Plugboard.Server.Data;
using Plugboard.Server.Tests.Engine;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Health;

/// /health/live and /health/ready for probes, and the old /health kept; and a scheme that does not apply
/// to a request stays silent (engine reads used to log a failed session check each).
public abstract class HealthTests(AppFixture fixture)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/health")]
    public async Task Probe_ServerReady_Answers200WithoutCredentials(string path)
    {
        var response = await fixture.App.Client(apiKey: null).ApiGetAsync(path);

        response.AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Ready_ServerReady_ReportsDatabaseMigrationsAndKeyRing()
    {
        var body = (await fixture.App.Client(apiKey: null).ApiGetAsync("/health/ready")).AssertStatus(HttpStatusCode.OK).Body;

        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        var checks = body.GetProperty("checks");
        foreach (var name in new[] { "database", "migrations", "keyRing" })
        {
            Assert.Equal("Healthy", checks.GetProperty(name).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task EngineRead_WithEngineToken_LogsNoSessionFailure()
    {
        var admin = fixture.App.Client();
        var projectId = await admin.CreateProjectAsync();
        (await admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, "quiet_read", "xoxb-quiet"))).AssertStatus(HttpStatusCode.Created);
        var engine = fixture.App.Client(await admin.EngineTokenAsync(projectId));
        var before = fixture.App.Logs.Lines.Count;

        for (var i = 0; i < 20; i++)
        {
            (await engine.ReadConnectionAsync("quiet_read")).AssertStatus(HttpStatusCode.OK);
        }

        var authLines = fixture.App.Logs.Lines.Skip(before).Where(line => line.Contains("Authentication", StringComparison.Ordinal)).ToList();
        Assert.True(authLines.Count == 0, string.Join('\n', authLines));
    }

    [Fact]
    public async Task EngineToken_OnManagementRoute_IsStillRefused()
    {
        var admin = fixture.App.Client();
        var projectId = await admin.CreateProjectAsync();
        var engine = fixture.App.Client(await admin.EngineTokenAsync(projectId));

        (await engine.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
    }
}

public sealed class HealthSqliteTests(SqliteFixture fixture) : HealthTests(fixture), IClassFixture<SqliteFixture>;

public sealed class HealthPostgresTests(PostgresFixture fixture) : HealthTests(fixture), IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Ready_DatabaseGone_Answers503WhileLiveStays200()
    {
        var storage = await TestStorage.CreateAsync(DatabaseEngine.Postgres);
        await using var app = new TestApp(storage);
        var anonymous = app.Client(apiKey: null);
        (await anonymous.ApiGetAsync("/health/ready")).AssertStatus(HttpStatusCode.OK);

        await storage.DisposeAsync(); // drops the database under the running server

        var ready = await anonymous.ApiGetAsync("/health/ready");
        ready.AssertStatus(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Unhealthy", ready.Body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        (await anonymous.ApiGetAsync("/health/live")).AssertStatus(HttpStatusCode.OK);
        NpgsqlConnection.ClearAllPools();
    }
}
