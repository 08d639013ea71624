using System.Net;
using Plugboard.Server.Data;
using Plugboard.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Plugboard.Server.Tests.Data;

/// Every write the server makes moves the change counter the caches check; reads leave it alone.
public abstract class DataChangesTests(AppFixture fixture)
{
    private readonly HttpClient _admin = fixture.App.Client();

    private long Generation => fixture.App.Services.GetRequiredService<DataChanges>().Generation;

    [Fact]
    public async Task Upsert_ThroughTheApi_MovesTheCounter()
    {
        var projectId = await _admin.CreateProjectAsync();
        var before = Generation;

        (await _admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, Api.Unique("slack"), "xoxb-1")))
            .AssertStatus(HttpStatusCode.Created);

        Assert.True(Generation > before);
    }

    [Fact]
    public async Task ListAndGet_PlainReads_LeaveItAlone()
    {
        var projectId = await _admin.CreateProjectAsync();
        (await _admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, Api.Unique("slack"), "xoxb-1")))
            .AssertStatus(HttpStatusCode.Created);
        // The audit writer and other tests' writes could move it meanwhile: read on a quiet counter only.
        var before = Generation;

        (await _admin.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}")).AssertStatus(HttpStatusCode.OK);
        (await _admin.ApiGetAsync($"/api/v1/projects/{projectId}")).AssertStatus(HttpStatusCode.OK);

        Assert.Equal(before, Generation);
    }
}

public sealed class DataChangesSqliteTests(SqliteFixture fixture) : DataChangesTests(fixture), IClassFixture<SqliteFixture>;

public sealed class DataChangesPostgresTests(PostgresFixture fixture) : DataChangesTests(fixture), IClassFixture<PostgresFixture>;
