using System.Net;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Embedding;

/// What each role may do with a session token: VIEWER reads, EDITOR writes connections and flows, ADMIN also
/// manages the project and its members; nobody embedded reaches a platform route.
public abstract class RoleMatrixTests(EmbeddingFixture fixture)
{
    private readonly HttpClient _admin = fixture.App.Client();

    private sealed record Route(string Name, HttpMethod Method, Func<Ctx, string> Path, Func<Ctx, object?> Body, string[] AllowedRoles);

    private sealed record Ctx(string ProjectId, string ConnectionId, string FlowId, string UserId, string Unique);

    private static readonly string[] All = ["VIEWER", "EDITOR", "ADMIN"];
    private static readonly string[] Writers = ["EDITOR", "ADMIN"];
    private static readonly string[] Admins = ["ADMIN"];
    private static readonly string[] Nobody = [];

    private static readonly Route[] Routes =
    [
        new("list connections", HttpMethod.Get, c => $"/api/v1/app-connections?projectId={c.ProjectId}", _ => null, All),
        new("get connection", HttpMethod.Get, c => $"/api/v1/app-connections/{c.ConnectionId}", _ => null, All),
        new("connection owners", HttpMethod.Get, c => $"/api/v1/app-connections/owners?projectId={c.ProjectId}", _ => null, All),
        new("upsert connection", HttpMethod.Post, _ => "/api/v1/app-connections", c => Api.SecretText(c.ProjectId, $"new_{c.Unique}", "xoxb-1"), Writers),
        new("rename connection", HttpMethod.Post, c => $"/api/v1/app-connections/{c.ConnectionId}", _ => new { displayName = "Renamed" }, Writers),
        new("delete connection", HttpMethod.Delete, c => $"/api/v1/app-connections/{c.ConnectionId}", _ => null, Writers),
        new("list flows", HttpMethod.Get, c => $"/api/v1/flows?projectId={c.ProjectId}", _ => null, All),
        new("get flow", HttpMethod.Get, c => $"/api/v1/flows/{c.FlowId}", _ => null, All),
        new("create flow", HttpMethod.Post, _ => "/api/v1/flows", c => Flow(c.ProjectId), Writers),
        new("update flow", HttpMethod.Post, c => $"/api/v1/flows/{c.FlowId}", _ => new { displayName = "Renamed flow" }, Writers),
        new("delete flow", HttpMethod.Delete, c => $"/api/v1/flows/{c.FlowId}", _ => null, Writers),
        new("get project", HttpMethod.Get, c => $"/api/v1/projects/{c.ProjectId}", _ => null, All),
        new("list projects", HttpMethod.Get, _ => "/api/v1/projects", _ => null, All),
        new("update project", HttpMethod.Post, c => $"/api/v1/projects/{c.ProjectId}", _ => new { displayName = "Renamed project" }, Admins),
        new("list members", HttpMethod.Get, c => $"/api/v1/projects/{c.ProjectId}/members", _ => null, All),
        new("set member", HttpMethod.Post, c => $"/api/v1/projects/{c.ProjectId}/members", c => new { userId = c.UserId, role = "VIEWER" }, Admins),
        new("remove member", HttpMethod.Delete, c => $"/api/v1/projects/{c.ProjectId}/members/{c.UserId}", _ => null, Admins),
        new("global connections", HttpMethod.Get, _ => "/api/v1/global-connections", _ => null, Nobody),
        new("upsert global connection", HttpMethod.Post, _ => "/api/v1/global-connections", c => Api.Global($"g_{c.Unique}", [c.ProjectId], "x"), Nobody),
        new("create project", HttpMethod.Post, _ => "/api/v1/projects", c => new { displayName = "p", externalId = $"p_{c.Unique}" }, Nobody),
        new("delete project", HttpMethod.Delete, c => $"/api/v1/projects/{c.ProjectId}", _ => null, Nobody),
        new("api keys", HttpMethod.Get, _ => "/api/v1/api-keys", _ => null, Nobody),
        new("create api key", HttpMethod.Post, _ => "/api/v1/api-keys", c => new { displayName = "k", projectId = c.ProjectId }, Nobody),
        new("signing keys", HttpMethod.Get, _ => "/api/v1/signing-keys", _ => null, Nobody),
        new("create signing key", HttpMethod.Post, _ => "/api/v1/signing-keys", _ => new { displayName = "k" }, Nobody),
        new("pieces", HttpMethod.Get, _ => "/api/v1/pieces", _ => null, Nobody),
        new("register piece", HttpMethod.Post, _ => "/api/v1/pieces", c => new { name = $"@x/{c.Unique}", version = "1.0.0", displayName = "X" }, Nobody),
        new("audit events", HttpMethod.Get, _ => "/api/v1/audit-events", _ => null, Nobody),
        new("users", HttpMethod.Get, _ => "/api/v1/users", _ => null, Nobody),
        new("engine token", HttpMethod.Post, _ => "/api/v1/engine-tokens", c => new { projectId = c.ProjectId }, Nobody),
        new("oauth apps", HttpMethod.Get, _ => "/api/v1/oauth-apps", _ => null, Nobody),
        new("oauth providers", HttpMethod.Get, _ => "/api/v1/oauth-providers", _ => null, Nobody),
    ];

    private static object Flow(string projectId) => new
    {
        projectId, displayName = "Flow", status = "DISABLED",
        trigger = new { name = "trigger", pieceName = "@acme/piece-x", operation = "poll", input = new { } },
        steps = Array.Empty<object>(),
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var route in Routes)
        {
            foreach (var role in All)
            {
                data.Add(route.Name, role);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Route_WithEachRole_IsAllowedExactlyWhenTheRoleMay(string routeName, string role)
    {
        var route = Routes.Single(r => r.Name == routeName);
        var org = Api.Unique("org");
        var (session, answer) = await fixture.SignInAsync(Saas.Claims(Api.Unique("user"), org, role));
        var projectId = answer.Str("projectId");
        // The connection the routes act on is the user's own, so the owner rule is not what is tested here.
        var connection = (await _admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, Api.Unique("c"), "xoxb-seed")))
            .AssertStatus(HttpStatusCode.Created).Str("id");
        var flow = (await _admin.ApiPostAsync("/api/v1/flows", Flow(projectId))).AssertStatus(HttpStatusCode.Created).Str("id");
        var (_, other) = await fixture.SignInAsync(Saas.Claims(Api.Unique("user"), org, "VIEWER"));
        var ctx = new Ctx(projectId, connection, flow, other.Str("id"), Guid.NewGuid().ToString("N")[..12]);

        var response = await Api.SendAsync(session, route.Method, route.Path(ctx), route.Body(ctx));

        if (route.AllowedRoles.Contains(role))
        {
            Assert.True((int)response.Status is >= 200 and < 300, $"{role} {routeName}: expected success, got {(int)response.Status}: {response.Raw}");
        }
        else
        {
            response.AssertError(HttpStatusCode.Forbidden, "AUTHORIZATION");
        }
    }

    [Fact]
    public async Task Upsert_EditorOnAnotherMembersConnection_IsForbiddenButTheOwnerAndAnAdminMay()
    {
        var org = Api.Unique("org");
        var (owner, ownerAnswer) = await fixture.SignInAsync(Saas.Claims(Api.Unique("user"), org, "EDITOR"));
        var (editor, _) = await fixture.SignInAsync(Saas.Claims(Api.Unique("user"), org, "EDITOR"));
        var (admin, _) = await fixture.SignInAsync(Saas.Claims(Api.Unique("user"), org, "ADMIN"));
        var projectId = ownerAnswer.Str("projectId");
        var externalId = Api.Unique("slack");
        var created = (await owner.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, externalId, "owner-secret"))).AssertStatus(HttpStatusCode.Created);
        Assert.Equal(ownerAnswer.Str("id"), created.Str("ownerId"));

        (await editor.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, externalId, "editor-secret"))).AssertError(HttpStatusCode.Forbidden, "AUTHORIZATION");
        (await owner.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, externalId, "owner-again"))).AssertStatus(HttpStatusCode.OK);
        (await admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, externalId, "admin-secret"))).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Session_MemberRemoved_StopsWorkingAtOnce()
    {
        var (session, answer) = await fixture.SignInAsync(Saas.Claims(Api.Unique("user"), Api.Unique("org"), "ADMIN"));
        (await session.ApiGetAsync("/api/v1/app-connections")).AssertStatus(HttpStatusCode.OK);

        (await _admin.ApiDeleteAsync($"/api/v1/projects/{answer.Str("projectId")}/members/{answer.Str("id")}")).AssertStatus(HttpStatusCode.NoContent);

        (await session.ApiGetAsync("/api/v1/app-connections")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
    }

    [Fact]
    public async Task DeleteUser_KeepsTheirConnectionsWithoutAnOwner()
    {
        var (session, answer) = await fixture.SignInAsync(Saas.Claims(Api.Unique("user"), Api.Unique("org"), "EDITOR"));
        var id = (await session.ApiPostAsync("/api/v1/app-connections", Api.SecretText(answer.Str("projectId"), Api.Unique("c"), "kept")))
            .AssertStatus(HttpStatusCode.Created).Str("id");

        (await _admin.ApiDeleteAsync($"/api/v1/users/{answer.Str("id")}")).AssertStatus(HttpStatusCode.NoContent);

        var connection = (await _admin.ApiGetAsync($"/api/v1/app-connections/{id}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, connection.Body.GetProperty("ownerId").ValueKind);
        (await session.ApiGetAsync("/api/v1/app-connections")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        var users = (await _admin.ApiGetAsync($"/api/v1/users?externalId={answer.Str("externalId")}")).AssertStatus(HttpStatusCode.OK);
        Assert.Empty(users.Body.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Members_AdminKeyAddsAnExistingUserToAnotherProject_TheyAppearWithTheirRole()
    {
        var (_, answer) = await fixture.SignInAsync(Saas.Claims(Api.Unique("user"), Api.Unique("org"), "VIEWER"));
        var otherProject = await _admin.CreateProjectAsync();

        var added = (await _admin.ApiPostAsync($"/api/v1/projects/{otherProject}/members", new { userId = answer.Str("id"), role = "EDITOR" }))
            .AssertStatus(HttpStatusCode.Created);

        Assert.Equal("EDITOR", added.Str("role"));
        (await _admin.ApiPostAsync($"/api/v1/projects/{otherProject}/members", new { userId = answer.Str("id"), role = "OWNER" })).AssertValidation("role");
        (await _admin.ApiPostAsync($"/api/v1/projects/{otherProject}/members", new { userId = "nobody", role = "VIEWER" })).AssertValidation("userId");
    }
}

public sealed class RoleMatrixSqliteTests(SqliteEmbeddingFixture fixture) : RoleMatrixTests(fixture), IClassFixture<SqliteEmbeddingFixture>;

public sealed class RoleMatrixPostgresTests(PostgresEmbeddingFixture fixture) : RoleMatrixTests(fixture), IClassFixture<PostgresEmbeddingFixture>;
