using System.Net;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Http;
using Plugboard.Server.OAuth;
using Plugboard.Server.Platform;
using Plugboard.Server.Tests.Flows;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Concurrency;

/// Clients retry, and so do proxies: identical requests arriving together must each end as a success with
/// one final state, never as a 500 from a unique index or a serialization failure.
public abstract class IdenticalRequestsTests(AppFixture fixture)
{
    private const int Racers = 40;

    private readonly TestApp _app = fixture.App;
    private HttpClient Admin => _app.Client();

    [Fact]
    public async Task SetMember_FortyIdenticalAtOnce_AllSucceedWithOneMembership()
    {
        var projectId = await Admin.CreateProjectAsync();
        var userId = await NewUserAsync();

        var responses = await RaceAsync(() => _app.Client().ApiPostAsync($"/api/v1/projects/{projectId}/members", new { userId, role = "EDITOR" }));

        AssertAllSucceeded(responses, HttpStatusCode.Created, HttpStatusCode.OK);
        var members = (await Admin.ApiGetAsync($"/api/v1/projects/{projectId}/members")).AssertStatus(HttpStatusCode.OK).Body.GetProperty("data");
        var member = Assert.Single(members.EnumerateArray());
        Assert.Equal(userId, member.GetProperty("userId").GetString());
        Assert.Equal("EDITOR", member.GetProperty("role").GetString());
    }

    [Fact]
    public async Task UpdateProjectGlobals_FortyIdenticalAtOnce_AllSucceedWithEachLinkOnce()
    {
        var projectId = await Admin.CreateProjectAsync();
        var (externalA, externalB) = (Api.Unique("glob_a"), Api.Unique("glob_b"));
        var a = await Admin.CreateGlobalAsync(externalA);
        var b = await Admin.CreateGlobalAsync(externalB);

        var responses = await RaceAsync(() => _app.Client().ApiPostAsync($"/api/v1/projects/{projectId}", new { globalConnectionExternalIds = new[] { externalA, externalB } }));

        AssertAllSucceeded(responses, HttpStatusCode.OK);
        var links = await _app.WithDbAsync(db => db.AppConnectionProjects.AsNoTracking().Where(l => l.ProjectId == projectId).Select(l => l.ConnectionId).ToListAsync());
        Assert.Equal(new[] { a, b }.Order(), links.Order());
    }

    [Fact]
    public async Task UpdateGlobalProjects_FortyIdenticalAtOnce_AllSucceedWithEachLinkOnce()
    {
        var projectIds = new[] { await Admin.CreateProjectAsync(), await Admin.CreateProjectAsync(), await Admin.CreateProjectAsync() };
        var globalId = await Admin.CreateGlobalAsync(Api.Unique("glob"));

        var responses = await RaceAsync(() => _app.Client().ApiPostAsync($"/api/v1/global-connections/{globalId}", new { projectIds }));

        AssertAllSucceeded(responses, HttpStatusCode.OK);
        Assert.All(responses, r => Assert.Equal(projectIds.Order(), r.Body.GetProperty("projectIds").Strings().Order()));
        var links = await _app.WithDbAsync(db => db.AppConnectionProjects.AsNoTracking().Where(l => l.ConnectionId == globalId).Select(l => l.ProjectId).ToListAsync());
        Assert.Equal(projectIds.Order(), links.Order());
    }

    [Fact]
    public async Task UpdateFlowSteps_FortyIdenticalAtOnce_AllSucceedWithOnePlaceholderEach()
    {
        var projectId = await Admin.CreateProjectAsync();
        var flowId = await Admin.CreateFlowAsync(projectId, "DISABLED");
        var (first, second) = (Api.Unique("ph_a"), Api.Unique("ph_b"));
        var steps = new[] { FlowTestData.UsingConnection("step_1", first), FlowTestData.UsingConnection("step_2", second) };

        var responses = await RaceAsync(() => _app.Client().ApiPostAsync($"/api/v1/flows/{flowId}", new { steps }));

        AssertAllSucceeded(responses, HttpStatusCode.OK);
        var flow = (await Admin.ApiGetAsync($"/api/v1/flows/{flowId}")).AssertStatus(HttpStatusCode.OK).Body;
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), flow.GetProperty("connectionIds").Strings());
        var placeholders = await _app.WithDbAsync(db => db.AppConnections.AsNoTracking()
            .Where(c => c.ScopeKey == projectId).Select(c => new { c.ExternalId, c.Status }).ToListAsync());
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), placeholders.Select(p => p.ExternalId).Order(StringComparer.Ordinal));
        Assert.All(placeholders, p => Assert.Equal(Plugboard.Server.Connections.ConnectionStatus.Missing, p.Status));
    }

    [Fact]
    public async Task UpsertOAuthApp_FortyIdenticalAtOnce_AllSucceedWithOneApp()
    {
        var clientId = Api.Unique("client");

        var responses = await RaceAsync(() => _app.Client().ApiPostAsync("/api/v1/oauth-apps",
            new { pieceName = "@acme/piece-race", clientId, clientSecret = "race-secret" }));

        AssertAllSucceeded(responses, HttpStatusCode.OK);
        Assert.Single(responses.Select(r => r.Str("id")).Distinct());
        Assert.Equal(1, await _app.WithDbAsync(db => db.OAuthApps.CountAsync(a => a.ClientId == clientId)));
    }

    [Fact]
    public async Task UpsertOAuthProvider_FortyIdenticalAtOnce_AllSucceedWithOneEntry()
    {
        var name = Api.Unique("race-idp").Replace('_', '-');

        var responses = await RaceAsync(() => _app.Client().ApiPostAsync("/api/v1/oauth-providers", new
        {
            name, authorizeUrl = "https://idp.example.com/authorize", tokenUrl = "https://idp.example.com/token", scopes = new[] { "read" },
        }));

        AssertAllSucceeded(responses, HttpStatusCode.OK);
        Assert.Equal(1, await _app.WithDbAsync(db => db.OAuthProviders.CountAsync(p => p.Name == name)));
    }

    [Fact]
    public async Task UpsertDefinitionAndSetItsTestValue_FortyIdenticalAtOnce_AllSucceedWithOneDefinition()
    {
        var stableKey = Api.Unique("race-def").ToLowerInvariant();
        var body = new
        {
            stableKey, displayName = "Race", pieceName = "@acme/piece-crm", type = "SECRET_TEXT", credentials = "ORGANIZATION",
            value = new { type = "SECRET_TEXT", secret_text = "org" },
        };

        AssertAllSucceeded(await RaceAsync(() => _app.Client().ApiPostAsync("/api/v1/connection-definitions", body)), HttpStatusCode.Created, HttpStatusCode.OK);
        AssertAllSucceeded(await RaceAsync(() => _app.Client().ApiPostAsync($"/api/v1/connection-definitions/{stableKey}/test-value",
            new { value = new { type = "SECRET_TEXT", secret_text = "test" } })), HttpStatusCode.OK);

        Assert.Equal(1, await _app.WithDbAsync(db => db.ConnectionDefinitions.CountAsync(d => d.StableKey == stableKey)));
        Assert.Equal(1, await _app.WithDbAsync(db => db.AppConnections.CountAsync(c => c.ExternalId == stableKey)));
    }

    [Fact]
    public async Task SyncImport_FortyIdenticalAtOnce_AllSucceedWithEachItemOnce()
    {
        var (definition, global) = (Api.Unique("race-sync-def").ToLowerInvariant(), Api.Unique("race-sync-global"));
        var bundle = new
        {
            format = "plugboard.sync/v1",
            items = new object[]
            {
                new { kind = "definition", key = definition, data = new { displayName = "D", pieceName = "@acme/piece-crm", type = "NO_AUTH", credentials = "CUSTOMER" } },
                new { kind = "globalConnection", key = global, data = new { displayName = "G", pieceName = "@acme/piece-crm", type = "NO_AUTH" } },
            },
        };

        AssertAllSucceeded(await RaceAsync(() => _app.Client().ApiPostAsync("/api/v1/sync/import", bundle)), HttpStatusCode.OK);

        Assert.Equal(1, await _app.WithDbAsync(db => db.ConnectionDefinitions.CountAsync(d => d.StableKey == definition)));
        Assert.Equal(1, await _app.WithDbAsync(db => db.AppConnections.CountAsync(c => c.ExternalId == global)));
    }

    private static async Task<ApiResponse[]> RaceAsync(Func<Task<ApiResponse>> request)
    {
        using var start = new SemaphoreSlim(0);
        var racers = Enumerable.Range(0, Racers).Select(async _ =>
        {
            await start.WaitAsync();
            return await request();
        }).ToList();
        start.Release(Racers);
        return await Task.WhenAll(racers);
    }

    private static void AssertAllSucceeded(ApiResponse[] responses, params HttpStatusCode[] allowed)
    {
        var failures = responses.Where(r => !allowed.Contains(r.Status)).Select(r => $"{(int)r.Status}: {r.Raw}").ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} of {responses.Length} failed; first: {failures.FirstOrDefault()}");
    }

    private async Task<string> NewUserAsync()
    {
        var platformId = (await Admin.ApiGetAsync($"/api/v1/projects/{await Admin.CreateProjectAsync()}")).Str("platformId");
        var id = Ids.New();
        await _app.WithDbAsync(db =>
        {
            db.Users.Add(new User { Id = id, PlatformId = platformId, Email = $"{id}@users.test", PlatformRole = PlatformRole.Member, Created = DateTime.UtcNow });
            return db.SaveChangesAsync();
        });
        return id;
    }
}

public sealed class IdenticalRequestsSqliteTests(SqliteFixture fixture) : IdenticalRequestsTests(fixture), IClassFixture<SqliteFixture>;

public sealed class IdenticalRequestsPostgresTests(PostgresFixture fixture) : IdenticalRequestsTests(fixture), IClassFixture<PostgresFixture>;
