using System.Net;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Tests.Flows;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Concurrency;

/// "Enable a flow that uses the connection" racing "delete the connection": afterwards an enabled flow never
/// references a connection that is gone. Either the delete saw the flow and refused, or the flow found the
/// connection gone and its externalId is a MISSING placeholder in the project, as the existing rules make it.
public abstract class DeleteGuardRaceTests(AppFixture fixture)
{
    private const int Rounds = 25;

    private readonly TestApp _app = fixture.App;
    private HttpClient Admin => _app.Client();

    [Fact]
    public async Task ProjectConnection_EnableFlowRacingDelete_NeverLeavesAnEnabledFlowWithoutItsConnection()
    {
        var projectId = await Admin.CreateProjectAsync();
        for (var round = 0; round < Rounds; round++)
        {
            var externalId = Api.Unique("race");
            var connectionId = await Admin.CreateConnectionAsync(projectId, externalId);
            var flowId = await Admin.CreateFlowAsync(projectId, "DISABLED");

            var (enabled, deleted) = await RaceAsync(flowId, externalId, $"/api/v1/app-connections/{connectionId}");

            await AssertConsistentAsync(projectId, externalId, enabled, deleted);
        }
    }

    [Fact]
    public async Task GlobalConnection_EnableFlowRacingDelete_NeverLeavesAnEnabledFlowWithoutItsConnection()
    {
        var projectId = await Admin.CreateProjectAsync();
        for (var round = 0; round < Rounds; round++)
        {
            var externalId = Api.Unique("race");
            var globalId = await Admin.CreateGlobalAsync(externalId, projectId);
            var flowId = await Admin.CreateFlowAsync(projectId, "DISABLED");

            var (enabled, deleted) = await RaceAsync(flowId, externalId, $"/api/v1/global-connections/{globalId}");

            await AssertConsistentAsync(projectId, externalId, enabled, deleted);
        }
    }

    /// Enables the flow with a step using the connection while deleting the connection, both released at once.
    private async Task<(ApiResponse Enabled, ApiResponse Deleted)> RaceAsync(string flowId, string externalId, string deletePath)
    {
        using var start = new SemaphoreSlim(0);
        var enable = Task.Run(async () =>
        {
            await start.WaitAsync();
            return await _app.Client().ApiPostAsync($"/api/v1/flows/{flowId}",
                new { status = "ENABLED", steps = new[] { FlowTestData.UsingConnection("step_1", externalId, FlowTestData.Gelato) } });
        });
        var delete = Task.Run(async () =>
        {
            await start.WaitAsync();
            return await _app.Client().ApiDeleteAsync(deletePath);
        });
        start.Release(2);
        return (await enable, await delete);
    }

    private async Task AssertConsistentAsync(string projectId, string externalId, ApiResponse enabled, ApiResponse deleted)
    {
        enabled.AssertStatus(HttpStatusCode.OK);
        Assert.True(deleted.Status is HttpStatusCode.NoContent or HttpStatusCode.BadRequest, $"{(int)deleted.Status}: {deleted.Raw}");
        var visible = await _app.WithDbAsync(db => db.AppConnections.AsNoTracking()
            .Where(c => c.ExternalId == externalId && c.Projects.Any(l => l.ProjectId == projectId))
            .Select(c => c.Status)
            .ToListAsync());
        if (deleted.Status == HttpStatusCode.BadRequest)
        {
            // Refused: the guard saw the enabled flow, and the connection is untouched.
            deleted.AssertError(HttpStatusCode.BadRequest, "VALIDATION");
            Assert.Equal([ConnectionStatus.Active], visible);
        }
        else
        {
            // Deleted first: the enabled flow's externalId is a placeholder in its project, never nothing.
            Assert.Equal([ConnectionStatus.Missing], visible);
        }
    }
}

public sealed class DeleteGuardRaceSqliteTests(SqliteFixture fixture) : DeleteGuardRaceTests(fixture), IClassFixture<SqliteFixture>;

public sealed class DeleteGuardRacePostgresTests(PostgresFixture fixture) : DeleteGuardRaceTests(fixture), IClassFixture<PostgresFixture>;
