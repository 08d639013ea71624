using System.Net;
using Plugboard.Server.Tests.Infrastructure;
using static Plugboard.Server.Tests.Flows.FlowTestData;

namespace Plugboard.Server.Tests.Connections;

/// A remembered page is served again only to a viewer who would have been shown the very same page: the same
/// platform, the same viewing project, the same query.
public abstract class ConnectionPagesTests(AppFixture fixture)
{
    private readonly TestApp _app = fixture.App;

    [Fact]
    public async Task SameQuery_PlatformKeyThenProjectKey_TheProjectKeySeesItsOwnProjectOnly()
    {
        var admin = _app.Client();
        var (a, b) = (await admin.CreateProjectAsync(), await admin.CreateProjectAsync());
        var externalId = Api.Unique("shared");
        await admin.CreateGlobalAsync(externalId, a, b);
        await admin.CreateFlowAsync(b, "DISABLED", externalId);
        var path = $"/api/v1/app-connections?projectId={a}";
        // Every write happens first: a write would forget the remembered page and prove nothing.
        var projectKey = await _app.ProjectKeyAsync(a);

        for (var i = 0; i < 3; i++)
        {
            var asPlatform = (await admin.ApiGetAsync(path)).AssertStatus(HttpStatusCode.OK).Body.GetProperty("data")[0];
            Assert.Equal(new[] { a, b }.Order(StringComparer.Ordinal), asPlatform.GetProperty("projectIds").Strings());
            Assert.Single(asPlatform.FlowIds());
        }
        for (var i = 0; i < 3; i++)
        {
            var asProject = (await projectKey.ApiGetAsync(path)).AssertStatus(HttpStatusCode.OK).Body.GetProperty("data")[0];
            Assert.Equal([a], asProject.GetProperty("projectIds").Strings());
            Assert.Empty(asProject.FlowIds());
        }
    }

    [Fact]
    public async Task SameQuery_AnotherPlatformsKey_IsNotFound()
    {
        var admin = _app.Client();
        var projectId = await admin.CreateProjectAsync();
        await admin.CreateConnectionAsync(projectId, Api.Unique("mine"));
        var path = $"/api/v1/app-connections?projectId={projectId}";
        var (other, _) = await _app.OtherPlatformAsync();
        (await admin.ApiGetAsync(path)).AssertStatus(HttpStatusCode.OK);
        (await admin.ApiGetAsync(path)).AssertStatus(HttpStatusCode.OK);

        (await other.ApiGetAsync(path)).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
    }
}

public sealed class ConnectionPagesSqliteTests(SqliteFixture fixture) : ConnectionPagesTests(fixture), IClassFixture<SqliteFixture>;

public sealed class ConnectionPagesPostgresTests(PostgresFixture fixture) : ConnectionPagesTests(fixture), IClassFixture<PostgresFixture>;
