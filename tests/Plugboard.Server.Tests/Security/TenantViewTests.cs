using System.Net;
using System.Text.Json;
using Plugboard.Server.Tests.Embedding;
using Plugboard.Server.Tests.Flows;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Security;

/// A global connection shared with several projects, read by one of them: the tenant sees its own project and its
/// own flows, never which other projects share the connection or what their flows are.
public abstract class TenantViewTests(EmbeddingFixture fixture)
{
    private readonly HttpClient _admin = fixture.App.Client();

    private sealed record Shared(string GlobalId, string ProjectA, string FlowA, string ProjectB, string FlowB, HttpClient Session);

    private async Task<Shared> ShareAsync()
    {
        var (session, answer) = await fixture.SignInAsync(Saas.Claims(Api.Unique("user"), Api.Unique("org"), "ADMIN"));
        var projectA = answer.Str("projectId");
        var projectB = await _admin.CreateProjectAsync();
        var externalId = Api.Unique("gelato");
        var globalId = await _admin.CreateGlobalAsync(externalId, projectA, projectB);
        var flowA = await _admin.CreateFlowAsync(projectA, "ENABLED", externalId);
        var flowB = await _admin.CreateFlowAsync(projectB, "ENABLED", externalId);
        return new Shared(globalId, projectA, flowA, projectB, flowB, session);
    }

    [Fact]
    public async Task ProjectKey_ListAndGetSharedGlobal_SeeOnlyItsProjectAndItsFlows()
    {
        var shared = await ShareAsync();
        var key = await fixture.App.ProjectKeyAsync(shared.ProjectA);

        AssertSeenFromA(shared, await FromListAsync(key, shared.GlobalId));
        AssertSeenFromA(shared, (await key.ApiGetAsync($"/api/v1/app-connections/{shared.GlobalId}")).AssertStatus(HttpStatusCode.OK).Body);
    }

    [Fact]
    public async Task Session_ListAndGetSharedGlobal_SeeOnlyItsProjectAndItsFlows()
    {
        var shared = await ShareAsync();

        AssertSeenFromA(shared, await FromListAsync(shared.Session, shared.GlobalId));
        AssertSeenFromA(shared, (await shared.Session.ApiGetAsync($"/api/v1/app-connections/{shared.GlobalId}")).AssertStatus(HttpStatusCode.OK).Body);
    }

    [Fact]
    public async Task PlatformKey_ListAndGetSharedGlobal_SeeEveryProjectAndFlow()
    {
        var shared = await ShareAsync();

        foreach (var seen in new[]
        {
            await FromListAsync(_admin, shared.GlobalId, shared.ProjectA),
            (await _admin.ApiGetAsync($"/api/v1/app-connections/{shared.GlobalId}")).AssertStatus(HttpStatusCode.OK).Body,
            (await _admin.ApiGetAsync($"/api/v1/global-connections/{shared.GlobalId}")).AssertStatus(HttpStatusCode.OK).Body,
        })
        {
            Assert.Equal(new[] { shared.ProjectA, shared.ProjectB }.Order(StringComparer.Ordinal), seen.GetProperty("projectIds").Strings().Order(StringComparer.Ordinal));
            Assert.Equal(new[] { shared.FlowA, shared.FlowB }.Order(StringComparer.Ordinal), seen.FlowIds().Order(StringComparer.Ordinal));
        }
    }

    private static void AssertSeenFromA(Shared shared, JsonElement connection)
    {
        Assert.Equal([shared.ProjectA], connection.GetProperty("projectIds").Strings());
        Assert.Equal([shared.FlowA], connection.FlowIds());
        Assert.DoesNotContain(shared.ProjectB, connection.GetRawText());
        Assert.DoesNotContain(shared.FlowB, connection.GetRawText());
    }

    private static async Task<JsonElement> FromListAsync(HttpClient client, string connectionId, string? projectId = null)
    {
        var path = projectId is null ? "/api/v1/app-connections?limit=100" : $"/api/v1/app-connections?projectId={projectId}&limit=100";
        var page = (await client.ApiGetAsync(path)).AssertStatus(HttpStatusCode.OK).Body.GetProperty("data");
        return Assert.Single(page.EnumerateArray(), c => c.GetProperty("id").GetString() == connectionId);
    }
}

public sealed class TenantViewSqliteTests(SqliteEmbeddingFixture fixture) : TenantViewTests(fixture), IClassFixture<SqliteEmbeddingFixture>;

public sealed class TenantViewPostgresTests(PostgresEmbeddingFixture fixture) : TenantViewTests(fixture), IClassFixture<PostgresEmbeddingFixture>;
