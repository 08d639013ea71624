using System.Net;
using Plugboard.Server.Tests.Embedding;
using Plugboard.Server.Tests.Engine;
using Plugboard.Server.Tests.Infrastructure;
using static Plugboard.Server.Tests.Definitions.DefinitionCalls;

namespace Plugboard.Server.Tests.Definitions;

/// Seed 004's "Use for embedded workflows", seen from a real embedded session: definitions and global connections not
/// marked embedded do not exist for it (404, never 403), organization-supplied credentials are read-only to it, and
/// API keys and engine reads see everything as before.
public abstract class DefinitionEmbeddingTests(EmbeddingFixture fixture)
{
    private readonly HttpClient _admin = fixture.App.Client();

    [Fact]
    public async Task Session_SeesAndUsesOnlyEmbeddedDefinitionsAndGlobalsAndCannotSupplyOrganizationCredentials()
    {
        var u = Guid.NewGuid().ToString("N")[..10];
        var (visible, hidden, managed) = ($"vis-{u}", $"hid-{u}", $"man-{u}");
        await _admin.DefineAsync(CustomAuth(visible, new { props = new { base_url = "https://crm.example.com" } }, embedded: true));
        await _admin.DefineAsync(CustomAuth(hidden, new { props = new { base_url = "https://crm.example.com" } }));
        await _admin.DefineAsync(CustomAuth(managed, new { props = new { base_url = "https://crm.example.com" } }, suppliedBy: "ORGANIZATION", embedded: true));
        var (session, answer) = await fixture.SignInAsync(Saas.Claims(Api.Unique("user"), Api.Unique("org"), "EDITOR"));
        var projectId = answer.Str("projectId");
        var (shownGlobal, hiddenGlobal) = ($"shown-global-{u}", $"hidden-global-{u}");
        (await _admin.ApiPostAsync("/api/v1/global-connections", Api.Global(shownGlobal, [projectId], "g1"))).AssertStatus(HttpStatusCode.Created);
        var hiddenGlobalId = (await _admin.ApiPostAsync("/api/v1/global-connections", new
        {
            displayName = "Internal", pieceName = "@activepieces/piece-slack", type = "SECRET_TEXT",
            value = new { type = "SECRET_TEXT", secret_text = "internal" }, projectIds = new[] { projectId }, externalId = hiddenGlobal, embedded = false,
        })).AssertStatus(HttpStatusCode.Created).Str("id");
        var hiddenConnectionId = (await _admin.ConnectAsync(projectId, hidden, new { api_key = "by-the-org" })).AssertStatus(HttpStatusCode.Created).Str("id");
        var managedConnectionId = (await _admin.ConnectAsync(projectId, managed, new { api_key = "supplied-by-the-org" })).AssertStatus(HttpStatusCode.Created).Str("id");

        var definitions = (await session.ApiGetAsync("/api/v1/connection-definitions?limit=100")).AssertStatus(HttpStatusCode.OK)
            .Body.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("stableKey").GetString()).ToList();
        Assert.Contains(visible, definitions);
        Assert.Contains(managed, definitions);
        Assert.DoesNotContain(hidden, definitions);
        (await session.ApiGetAsync($"/api/v1/connection-definitions/{hidden}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");

        (await session.ConnectAsync(projectId, visible, new { api_key = "mine" })).AssertStatus(HttpStatusCode.Created);
        (await session.ConnectAsync(projectId, hidden, new { api_key = "mine" })).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        (await session.ConnectAsync(projectId, managed, new { api_key = "mine" })).AssertError(HttpStatusCode.Forbidden, "AUTHORIZATION");
        (await session.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, managed, "mine"))).AssertError(HttpStatusCode.Forbidden, "AUTHORIZATION");

        var listed = (await session.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}&limit=100")).AssertStatus(HttpStatusCode.OK)
            .Body.GetProperty("data").EnumerateArray().ToDictionary(c => c.GetProperty("externalId").GetString()!);
        Assert.Equal(new[] { managed, shownGlobal, visible }.Order(StringComparer.Ordinal), listed.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("ORGANIZATION", listed[managed].GetProperty("suppliedBy").GetString());
        Assert.Equal("CUSTOMER", listed[visible].GetProperty("suppliedBy").GetString());
        (await session.ApiGetAsync($"/api/v1/app-connections/{hiddenConnectionId}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        (await session.ApiGetAsync($"/api/v1/app-connections/{hiddenGlobalId}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        (await session.ApiGetAsync($"/api/v1/app-connections/{managedConnectionId}")).AssertStatus(HttpStatusCode.OK);

        // API keys and the engine are unaffected by the switch.
        var byKey = (await _admin.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}&limit=100")).AssertStatus(HttpStatusCode.OK)
            .Body.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("externalId").GetString()).ToList();
        Assert.Contains(hidden, byKey);
        Assert.Contains(hiddenGlobal, byKey);
        var engine = fixture.App.Client(await _admin.EngineTokenAsync(projectId));
        (await engine.ReadConnectionAsync(hiddenGlobal)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("by-the-org", (await engine.ReadConnectionAsync(hidden)).Props()["api_key"]);
        var supplied = (await engine.ReadConnectionAsync(managed)).Props();
        Assert.Equal(("supplied-by-the-org", "https://crm.example.com"), (supplied["api_key"], supplied["base_url"]));

        // Switched on, it appears for the session at once.
        (await _admin.ApiPostAsync($"/api/v1/connection-definitions/{hidden}", new { embedded = true })).AssertStatus(HttpStatusCode.OK);
        (await session.ApiGetAsync($"/api/v1/app-connections/{hiddenConnectionId}")).AssertStatus(HttpStatusCode.OK);
    }
}

public sealed class DefinitionEmbeddingSqliteTests(SqliteEmbeddingFixture fixture) : DefinitionEmbeddingTests(fixture), IClassFixture<SqliteEmbeddingFixture>;

public sealed class DefinitionEmbeddingPostgresTests(PostgresEmbeddingFixture fixture) : DefinitionEmbeddingTests(fixture), IClassFixture<PostgresEmbeddingFixture>;
