using System.Net;
using Plugboard.Server.Tests.Infrastructure;
using static Plugboard.Server.Tests.Flows.FlowTestData;

namespace Plugboard.Server.Tests.Connections;

/// A page of the list costs two queries whatever its size (issue 12): the rows, then one query for everything they
/// show beyond themselves (projectIds of global connections, flowIds, owners). The API key check is not counted.
public abstract class ListQueryCountTests(AppFixture fixture)
{
    private readonly TestApp _app = fixture.App;

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(100)]
    public async Task List_PageOfOwnAndSharedConnectionsWithFlowsAndOwners_IsTwoQueriesAtAnySize(int limit)
    {
        var admin = _app.Client();
        var project = await admin.CreateProjectAsync();
        var neighbour = await admin.CreateProjectAsync();
        var externalIds = new List<string>();
        for (var i = 0; i < 24; i++)
        {
            var externalId = Api.Unique($"c{i}");
            externalIds.Add(externalId);
            if (i % 2 == 0)
            {
                await admin.CreateConnectionAsync(project, externalId);
            }
            else
            {
                await admin.CreateGlobalAsync(externalId, i % 4 == 1 ? [project, neighbour] : [project]);
            }
        }
        await admin.CreateFlowAsync(project, "ENABLED", externalIds[0], externalIds[1]);
        await admin.CreateFlowAsync(neighbour, "DISABLED", externalIds[1]);

        _app.Server.PreserveExecutionContext = true;
        var client = _app.Client();
        var (page, commands) = await SqlCommands.RecordAsync(() => client.ApiGetAsync($"/api/v1/app-connections?projectId={project}&limit={limit}"));

        page.AssertStatus(HttpStatusCode.OK);
        var rows = page.Body.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(Math.Min(limit, 24), rows.Count);
        var queries = commands.Where(sql => !sql.Contains("api_keys", StringComparison.Ordinal)).ToList();
        Assert.True(queries.Count == 2, $"{queries.Count} queries for a page of {limit}:\n{string.Join("\n\n", queries)}");
        Assert.All(rows, row => Assert.Equal("admin@plugboard.local", row.GetProperty("owner").GetProperty("email").GetString()));
        var first = rows[0];
        Assert.Equal(externalIds[0], first.GetProperty("externalId").GetString());
        Assert.Single(first.FlowIds());
        if (limit > 1)
        {
            var shared = rows[1];
            Assert.Equal(new[] { project, neighbour }.Order(StringComparer.Ordinal), shared.GetProperty("projectIds").Strings());
            Assert.Equal(2, shared.FlowIds().Length);
        }
    }
}

public sealed class ListQueryCountSqliteTests(SqliteFixture fixture) : ListQueryCountTests(fixture), IClassFixture<SqliteFixture>;

public sealed class ListQueryCountPostgresTests(PostgresFixture fixture) : ListQueryCountTests(fixture), IClassFixture<PostgresFixture>;
