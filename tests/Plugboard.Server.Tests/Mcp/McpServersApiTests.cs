using System.Net;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Mcp;
using Plugboard.Server.Tests.Embedding;
using Plugboard.Server.Tests.Flows;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Mcp;

/// /api/v1/mcp-servers (seed 003, the reference's shape): the token is shown at creation and rotation only and
/// stored as its hash; tools are checked against what Plugboard runs and the project's own connections; access
/// follows the caller's reach and, for embedded users, their role.
public abstract class McpServersApiTests(EmbeddingFixture fixture)
{
    private readonly TestApp _app = fixture.App;
    private HttpClient Admin => _app.Client();

    private static object Tool(string toolName, string externalId, string pieceName = FlowTestData.Slack, string action = "custom_api_call") => new
    {
        type = "PIECE",
        toolName,
        pieceMetadata = new { pieceName, pieceVersion = "0.10.0", actionName = action, actionDisplayName = "Custom API call", connectionExternalId = externalId },
    };

    [Fact]
    public async Task Lifecycle_CreateListUpdateRotateDelete_TokenShownOnlyByCreateAndRotateAndStoredHashed()
    {
        var projectId = await Admin.CreateProjectAsync();
        await Admin.CreateConnectionAsync(projectId, "slack_bot");

        var created = (await Admin.ApiPostAsync("/api/v1/mcp-servers", new { name = "Support agent", projectId })).AssertStatus(HttpStatusCode.Created);
        var (id, token) = (created.Str("id"), created.Str("token"));
        Assert.StartsWith(McpTokens.Prefix, token, StringComparison.Ordinal);
        Assert.Equal(projectId, created.Str("projectId"));
        Assert.Empty(created.Body.GetProperty("tools").EnumerateArray());

        var listed = (await Admin.ApiGetAsync($"/api/v1/mcp-servers?projectId={projectId}&name=Support%20agent")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal([id], listed.Body.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetString()!));
        var updated = (await Admin.ApiPostAsync($"/api/v1/mcp-servers/{id}", new { name = "Renamed", tools = new[] { Tool("slack_api", "slack_bot") } }))
            .AssertStatus(HttpStatusCode.OK);
        Assert.Equal("Renamed", updated.Str("name"));
        Assert.Equal("slack_api", updated.Body.GetProperty("tools")[0].GetProperty("toolName").GetString());
        var read = (await Admin.ApiGetAsync($"/api/v1/mcp-servers/{id}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("slack_bot", read.Body.GetProperty("tools")[0].GetProperty("pieceMetadata").GetProperty("connectionExternalId").GetString());

        var rotated = (await Admin.ApiPostAsync($"/api/v1/mcp-servers/{id}/rotate", new { })).AssertStatus(HttpStatusCode.OK);
        Assert.NotEqual(token, rotated.Str("token"));
        var stored = await _app.WithDbAsync(db => db.McpServers.AsNoTracking().SingleAsync(s => s.Id == id));
        Assert.Equal(McpTokens.Hash(rotated.Str("token")), stored.TokenHash);
        Assert.NotEqual(McpTokens.Hash(token), stored.TokenHash);

        foreach (var shown in new[] { token, rotated.Str("token") })
        {
            Assert.DoesNotContain(_app.Logs.Lines, line => line.Contains(shown, StringComparison.Ordinal));
            var audit = await _app.WithDbAsync(db => db.Set<Plugboard.Server.Audit.AuditEvent>().AsNoTracking().Select(e => e.Details).ToListAsync());
            Assert.DoesNotContain(audit, d => d?.Contains(shown, StringComparison.Ordinal) == true);
        }
        Assert.DoesNotContain(token, listed.Raw + updated.Raw + read.Raw);

        (await Admin.ApiDeleteAsync($"/api/v1/mcp-servers/{id}")).AssertStatus(HttpStatusCode.NoContent);
        (await Admin.ApiGetAsync($"/api/v1/mcp-servers/{id}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        (await Admin.ApiDeleteAsync($"/api/v1/mcp-servers/{id}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
    }

    [Fact]
    public async Task Tools_ThatCannotRunOrNameAnotherProjectsConnection_Are400NamingTheFieldAndChangeNothing()
    {
        var (projectId, other) = (await Admin.CreateProjectAsync(), await Admin.CreateProjectAsync());
        await Admin.CreateConnectionAsync(projectId, "mine");
        await Admin.CreateConnectionAsync(other, "theirs");
        var id = (await Admin.ApiPostAsync("/api/v1/mcp-servers", new { name = "agent", projectId })).AssertStatus(HttpStatusCode.Created).Str("id");

        async Task Refused(object tools, string field) =>
            (await Admin.ApiPostAsync($"/api/v1/mcp-servers/{id}", new { tools })).AssertValidation(field);
        await Refused(new[] { Tool("send", "mine", action: "send_message") }, "tools[0].pieceMetadata.actionName");
        await Refused(new[] { Tool("call", "theirs") }, "tools[0].pieceMetadata.connectionExternalId");
        await Refused(new[] { Tool("call", "mine", pieceName: FlowTestData.Gelato) }, "tools[0].pieceMetadata.connectionExternalId");
        await Refused(new[] { Tool("call", "mine"), Tool("call", "mine") }, "tools[1].toolName");
        await Refused(new[] { Tool(new string('x', 48), "mine") }, "tools[0].toolName");
        await Refused(new[] { Tool("list_connections", "mine") }, "tools[0].toolName");
        await Refused(new object[] { new { type = "FLOW", toolName = "flow", flowId = "f" } }, "tools[0].type");
        (await Admin.ApiPostAsync("/api/v1/mcp-servers", new { name = "", projectId })).AssertValidation("name");

        var read = (await Admin.ApiGetAsync($"/api/v1/mcp-servers/{id}")).AssertStatus(HttpStatusCode.OK);
        Assert.Empty(read.Body.GetProperty("tools").EnumerateArray());
    }

    [Fact]
    public async Task Access_ProjectKeysSeeTheirProjectOnlyAndEmbeddedViewersReadWhileEditorsWrite()
    {
        var u = Api.Unique("org");
        var (viewer, answer) = await fixture.SignInAsync(Saas.Claims(Api.Unique("viewer"), u, "VIEWER"));
        var (editor, _) = await fixture.SignInAsync(Saas.Claims(Api.Unique("editor"), u, "EDITOR"));
        var projectId = answer.Str("projectId");
        var otherProject = await Admin.CreateProjectAsync();
        var id = (await Admin.ApiPostAsync("/api/v1/mcp-servers", new { name = "agent", projectId })).AssertStatus(HttpStatusCode.Created).Str("id");
        var otherId = (await Admin.ApiPostAsync("/api/v1/mcp-servers", new { name = "other", projectId = otherProject })).AssertStatus(HttpStatusCode.Created).Str("id");

        (await viewer.ApiGetAsync($"/api/v1/mcp-servers/{id}")).AssertStatus(HttpStatusCode.OK);
        (await viewer.ApiGetAsync("/api/v1/mcp-servers")).AssertStatus(HttpStatusCode.OK);
        (await viewer.ApiPostAsync($"/api/v1/mcp-servers/{id}/rotate", new { })).AssertError(HttpStatusCode.Forbidden, "AUTHORIZATION");
        (await viewer.ApiPostAsync("/api/v1/mcp-servers", new { name = "mine" })).AssertError(HttpStatusCode.Forbidden, "AUTHORIZATION");
        (await editor.ApiPostAsync($"/api/v1/mcp-servers/{id}", new { name = "renamed by editor" })).AssertStatus(HttpStatusCode.OK);
        (await editor.ApiPostAsync("/api/v1/mcp-servers", new { name = "editor's" })).AssertStatus(HttpStatusCode.Created);
        (await editor.ApiGetAsync($"/api/v1/mcp-servers/{otherId}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");

        var projectKey = await _app.ProjectKeyAsync(otherProject);
        (await projectKey.ApiGetAsync($"/api/v1/mcp-servers/{id}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        (await projectKey.ApiGetAsync($"/api/v1/mcp-servers/{otherId}")).AssertStatus(HttpStatusCode.OK);
        (await projectKey.ApiGetAsync($"/api/v1/mcp-servers?projectId={projectId}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
    }

    [Fact]
    public async Task Tools_AnEmbeddedEditorNamingAConnectionHiddenFromThem_Is400WhileAKeyMayConfigureIt()
    {
        var (editor, answer) = await fixture.SignInAsync(Saas.Claims(Api.Unique("editor"), Api.Unique("org"), "EDITOR"));
        var projectId = answer.Str("projectId");
        var hidden = Api.Unique("hidden");
        (await Admin.ApiPostAsync("/api/v1/global-connections", new
        {
            displayName = "Ours", pieceName = FlowTestData.Slack, type = "SECRET_TEXT", value = new { type = "SECRET_TEXT", secret_text = "org-secret" },
            scope = "PLATFORM", projectIds = new[] { projectId }, externalId = hidden, embedded = false,
        })).AssertStatus(HttpStatusCode.Created);
        var id = (await editor.ApiPostAsync("/api/v1/mcp-servers", new { name = "agent" })).AssertStatus(HttpStatusCode.Created).Str("id");

        (await editor.ApiPostAsync($"/api/v1/mcp-servers/{id}", new { tools = new[] { Tool("call", hidden) } }))
            .AssertValidation("tools[0].pieceMetadata.connectionExternalId");
        (await Admin.ApiPostAsync($"/api/v1/mcp-servers/{id}", new { tools = new[] { Tool("call", hidden) } })).AssertStatus(HttpStatusCode.OK);
    }
}

public sealed class McpServersApiSqliteTests(SqliteEmbeddingFixture fixture) : McpServersApiTests(fixture), IClassFixture<SqliteEmbeddingFixture>;

public sealed class McpServersApiPostgresTests(PostgresEmbeddingFixture fixture) : McpServersApiTests(fixture), IClassFixture<PostgresEmbeddingFixture>;
