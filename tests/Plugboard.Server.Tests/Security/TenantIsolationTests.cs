using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Security;

/// A project key for project A against project B: B must look as if it did not exist.
public abstract class TenantIsolationTests(AppFixture fixture)
{
    private readonly TestApp _app = fixture.App;
    private HttpClient Admin => _app.Client();

    private sealed record Tenants(string A, string B, HttpClient KeyA, string ConnectionA, string ConnectionB);

    /// Projects A and B, a connection in each (made with the platform key), and a project key for A.
    private async Task<Tenants> ArrangeAsync()
    {
        var a = await Admin.CreateProjectAsync();
        var b = await Admin.CreateProjectAsync();
        var connectionA = (await Admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(a, "shared_ext", "secret-a", displayName: "A's Slack")))
            .AssertStatus(HttpStatusCode.Created).Str("id");
        var connectionB = (await Admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(b, "shared_ext", "secret-b", displayName: "B's Slack")))
            .AssertStatus(HttpStatusCode.Created).Str("id");
        var key = (await Admin.ApiPostAsync("/api/v1/api-keys", new { displayName = "key for A", projectId = a }))
            .AssertStatus(HttpStatusCode.Created).Str("value");
        return new Tenants(a, b, _app.Client(key), connectionA, connectionB);
    }

    [Fact]
    public async Task ProjectKey_WithoutProjectId_ListsUpsertsAndOwnersOnItsOwnProject()
    {
        var t = await ArrangeAsync();

        var upserted = (await t.KeyA.ApiPostAsync("/api/v1/app-connections", new
        {
            externalId = "by_project_key",
            displayName = "Made by A's key",
            pieceName = "@activepieces/piece-slack",
            type = "SECRET_TEXT",
            value = new { type = "SECRET_TEXT", secret_text = "s" },
        })).AssertStatus(HttpStatusCode.Created);
        Assert.Equal([t.A], upserted.Body.GetProperty("projectIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("PROJECT", upserted.Str("scope"));

        var list = (await t.KeyA.ApiGetAsync("/api/v1/app-connections?limit=100")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(new[] { t.ConnectionA, upserted.Str("id") }.Order(), Ids(list).Order());
        var sameProject = (await t.KeyA.ApiGetAsync($"/api/v1/app-connections?projectId={t.A}&limit=100")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(Ids(list).Order(), Ids(sameProject).Order());

        var owners = (await t.KeyA.ApiGetAsync("/api/v1/app-connections/owners")).AssertStatus(HttpStatusCode.OK);
        Assert.Single(owners.Body.GetProperty("data").EnumerateArray());

        (await t.KeyA.ApiGetAsync($"/api/v1/app-connections/{t.ConnectionA}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(0, await _app.WithDbAsync(db => db.AppConnections.CountAsync(c => c.ScopeKey == t.B && c.ExternalId == "by_project_key")));
    }

    [Fact]
    public async Task ProjectKey_NamingAnotherProject_Is404NotFoundNot403()
    {
        var t = await ArrangeAsync();

        foreach (var path in new[]
                 {
                     $"/api/v1/app-connections?projectId={t.B}",
                     $"/api/v1/app-connections/owners?projectId={t.B}",
                     $"/api/v1/projects/{t.B}",
                 })
        {
            var response = await t.KeyA.ApiGetAsync(path);
            AssertProjectNotFound(response, t.B);
        }
        var upsert = await t.KeyA.ApiPostAsync("/api/v1/app-connections", Api.SecretText(t.B, "planted", "s"));
        AssertProjectNotFound(upsert, t.B);

        // Exactly what a project that does not exist at all answers: nothing tells B apart.
        var missing = await t.KeyA.ApiGetAsync("/api/v1/app-connections?projectId=noSuchProject00000000");
        AssertProjectNotFound(missing, "noSuchProject00000000");
        var forB = await t.KeyA.ApiGetAsync($"/api/v1/app-connections?projectId={t.B}");
        Assert.Equal(
            missing.Raw.Replace("noSuchProject00000000", "X", StringComparison.Ordinal),
            forB.Raw.Replace(t.B, "X", StringComparison.Ordinal));

        Assert.Equal(0, await _app.WithDbAsync(db => db.AppConnections.CountAsync(c => c.ExternalId == "planted")));
    }

    [Fact]
    public async Task ProjectKey_OtherProjectsConnectionById_Is404AndLeavesItUnchanged()
    {
        var t = await ArrangeAsync();
        var before = await _app.WithDbAsync(db => db.AppConnections.AsNoTracking().SingleAsync(c => c.Id == t.ConnectionB));

        var get = await t.KeyA.ApiGetAsync($"/api/v1/app-connections/{t.ConnectionB}");
        var update = await t.KeyA.ApiPostAsync($"/api/v1/app-connections/{t.ConnectionB}", new { displayName = "hijacked", metadata = new { owned = true } });
        var delete = await t.KeyA.ApiDeleteAsync($"/api/v1/app-connections/{t.ConnectionB}");

        foreach (var response in new[] { get, update, delete })
        {
            response.AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
            Assert.Equal("app_connection", response.Body.GetProperty("params").GetProperty("entityType").GetString());
            Assert.DoesNotContain("B's Slack", response.Raw, StringComparison.Ordinal);
        }
        // The same answer as for an id that never existed.
        var unknown = await t.KeyA.ApiGetAsync("/api/v1/app-connections/noSuchConnection00000");
        Assert.Equal(
            unknown.Raw.Replace("noSuchConnection00000", "X", StringComparison.Ordinal),
            get.Raw.Replace(t.ConnectionB, "X", StringComparison.Ordinal));

        var after = await _app.WithDbAsync(db => db.AppConnections.AsNoTracking().SingleAsync(c => c.Id == t.ConnectionB));
        Assert.Equal(before.DisplayName, after.DisplayName);
        Assert.Equal(before.Metadata, after.Metadata);
        Assert.Equal(before.Value, after.Value);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Updated, after.Updated);
        var read = (await Admin.ApiGetAsync($"/api/v1/app-connections/{t.ConnectionB}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("B's Slack", read.Str("displayName"));

        var listA = (await t.KeyA.ApiGetAsync("/api/v1/app-connections?limit=100")).AssertStatus(HttpStatusCode.OK);
        Assert.DoesNotContain(t.ConnectionB, Ids(listA));
    }

    [Fact]
    public async Task ProjectKey_Projects_ListsAndReadsOnlyItsOwn()
    {
        var t = await ArrangeAsync();

        var list = (await t.KeyA.ApiGetAsync("/api/v1/projects?limit=100")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal([t.A], Ids(list));
        Assert.Equal(JsonValueKind.Null, list.Body.GetProperty("next").ValueKind);
        var byExternalId = (await t.KeyA.ApiGetAsync($"/api/v1/projects?externalId={ExternalIdOf(await ProjectAsync(t.B))}")).AssertStatus(HttpStatusCode.OK);
        Assert.Empty(Ids(byExternalId));

        (await t.KeyA.ApiGetAsync($"/api/v1/projects/{t.A}")).AssertStatus(HttpStatusCode.OK);
        AssertProjectNotFound(await t.KeyA.ApiGetAsync($"/api/v1/projects/{t.B}"), t.B);
        var bBefore = await ProjectAsync(t.B);
        AssertProjectNotFound(await t.KeyA.ApiPostAsync($"/api/v1/projects/{t.B}", new { displayName = "renamed by A" }), t.B);
        Assert.Equal(bBefore.Raw, (await ProjectAsync(t.B)).Raw);
    }

    [Fact]
    public async Task ProjectKey_GlobalConnections_SeesOnlyThoseSharedWithItsProject()
    {
        var t = await ArrangeAsync();
        var sharedWithA = (await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(Api.Unique("ga"), [t.A], "global-a")))
            .AssertStatus(HttpStatusCode.Created).Str("id");
        var sharedWithB = (await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(Api.Unique("gb"), [t.B], "global-b")))
            .AssertStatus(HttpStatusCode.Created).Str("id");

        var read = (await t.KeyA.ApiGetAsync($"/api/v1/app-connections/{sharedWithA}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("PLATFORM", read.Str("scope"));
        var list = (await t.KeyA.ApiGetAsync("/api/v1/app-connections?limit=100")).AssertStatus(HttpStatusCode.OK);
        Assert.Contains(sharedWithA, Ids(list));
        Assert.DoesNotContain(sharedWithB, Ids(list));
        var platformOnly = (await t.KeyA.ApiGetAsync("/api/v1/app-connections?scope=PLATFORM&limit=100")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal([sharedWithA], Ids(platformOnly));

        (await t.KeyA.ApiGetAsync($"/api/v1/app-connections/{sharedWithB}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        (await t.KeyA.ApiPostAsync($"/api/v1/app-connections/{sharedWithB}", new { displayName = "x" })).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        (await t.KeyA.ApiDeleteAsync($"/api/v1/app-connections/{sharedWithB}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");

        var before = await _app.WithDbAsync(db => db.AppConnections.AsNoTracking().SingleAsync(c => c.Id == sharedWithA));
        foreach (var response in new[]
                 {
                     await t.KeyA.ApiPostAsync($"/api/v1/app-connections/{sharedWithA}", new { displayName = "renamed by A" }),
                     await t.KeyA.ApiDeleteAsync($"/api/v1/app-connections/{sharedWithA}"),
                 })
        {
            response.AssertError(HttpStatusCode.Forbidden, "AUTHORIZATION");
            Assert.Contains("/api/v1/global-connections", response.Body.GetProperty("params").GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        var after = await _app.WithDbAsync(db => db.AppConnections.AsNoTracking().SingleAsync(c => c.Id == sharedWithA));
        Assert.Equal(before.DisplayName, after.DisplayName);
        Assert.Equal(before.Version, after.Version);
        Assert.True(await _app.WithDbAsync(db => db.AppConnections.AnyAsync(c => c.Id == sharedWithB)));

        // Re-upserting the global's externalId through the project route makes a project connection: the global stays as it was.
        var globalExternalId = before.ExternalId;
        var shadow = (await t.KeyA.ApiPostAsync("/api/v1/app-connections", Api.SecretText(t.A, globalExternalId, "shadow"))).AssertStatus(HttpStatusCode.Created);
        Assert.NotEqual(sharedWithA, shadow.Str("id"));
        Assert.Equal("PROJECT", shadow.Str("scope"));
        var global = await _app.WithDbAsync(db => db.AppConnections.AsNoTracking().SingleAsync(c => c.Id == sharedWithA));
        Assert.Equal(before.Value, global.Value);
        Assert.Equal(ConnectionScope.Platform, global.Scope);
    }

    [Fact]
    public async Task PlatformKey_TwoProjects_SeesBothAndTheirConnections()
    {
        var t = await ArrangeAsync();

        foreach (var (project, connection) in new[] { (t.A, t.ConnectionA), (t.B, t.ConnectionB) })
        {
            var read = (await Admin.ApiGetAsync($"/api/v1/projects/{project}")).AssertStatus(HttpStatusCode.OK);
            var byExternalId = (await Admin.ApiGetAsync($"/api/v1/projects?externalId={read.Str("externalId")}")).AssertStatus(HttpStatusCode.OK);
            Assert.Equal([project], Ids(byExternalId));
            var list = (await Admin.ApiGetAsync($"/api/v1/app-connections?projectId={project}&limit=100")).AssertStatus(HttpStatusCode.OK);
            Assert.Equal([connection], Ids(list));
            (await Admin.ApiGetAsync($"/api/v1/app-connections/{connection}")).AssertStatus(HttpStatusCode.OK);
            (await Admin.ApiGetAsync($"/api/v1/app-connections/owners?projectId={project}")).AssertStatus(HttpStatusCode.OK);
        }

        var all = new List<string>();
        string? cursor = null;
        do
        {
            var page = (await Admin.ApiGetAsync("/api/v1/projects?limit=100" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")))
                .AssertStatus(HttpStatusCode.OK);
            all.AddRange(Ids(page));
            cursor = page.Body.GetProperty("next").GetString();
        }
        while (cursor is not null);
        Assert.Contains(t.A, all);
        Assert.Contains(t.B, all);
    }

    private async Task<ApiResponse> ProjectAsync(string id) =>
        (await Admin.ApiGetAsync($"/api/v1/projects/{id}")).AssertStatus(HttpStatusCode.OK);

    private static string ExternalIdOf(ApiResponse project) => project.Str("externalId");

    private static string[] Ids(ApiResponse page) =>
        page.Body.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToArray();

    private static void AssertProjectNotFound(ApiResponse response, string projectId)
    {
        response.AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        Assert.Equal("project", response.Body.GetProperty("params").GetProperty("entityType").GetString());
        Assert.Equal(projectId, response.Body.GetProperty("params").GetProperty("entityId").GetString());
    }
}

public sealed class TenantIsolationSqliteTests(SqliteFixture fixture) : TenantIsolationTests(fixture), IClassFixture<SqliteFixture>;

public sealed class TenantIsolationPostgresTests(PostgresFixture fixture) : TenantIsolationTests(fixture), IClassFixture<PostgresFixture>;
