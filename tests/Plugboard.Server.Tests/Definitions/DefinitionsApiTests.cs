using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plugboard.Server.Audit;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Tests.Engine;
using Plugboard.Server.Tests.Infrastructure;
using static Plugboard.Server.Tests.Definitions.DefinitionCalls;
using static Plugboard.Server.Tests.Flows.FlowTestData;

namespace Plugboard.Server.Tests.Definitions;

/// Seed 004's connection definitions through the API and the engine read: customer connections inheriting global
/// values, organization credentials, test credentials, deletion, and every bad input.
public abstract class DefinitionsApiTests(AppFixture fixture)
{
    private readonly TestApp _app = fixture.App;
    private HttpClient Admin => _app.Client();

    [Fact]
    public async Task CustomerDefinition_ConnectionWithItsOwnProps_EngineReadsTheMergeAndTheRowStoresOnlyItsOwnPart()
    {
        var key = Api.Unique("crm").ToLowerInvariant();
        var created = (await Admin.ApiPostAsync("/api/v1/connection-definitions",
                CustomAuth(key, new { props = new { base_url = "https://crm.example.com", partner_secret = "canary-partner-secret" } })))
            .AssertStatus(HttpStatusCode.Created);
        Assert.Equal(["props.base_url", "props.partner_secret"], created.Body.GetProperty("globalValueKeys").Strings());
        Assert.Equal("CUSTOMER", created.Str("suppliedBy"));
        Assert.False(created.Body.GetProperty("embedded").GetBoolean());
        Assert.DoesNotContain("canary-partner-secret", created.Raw);
        var projectId = await Admin.CreateProjectAsync();

        var connection = (await Admin.ConnectAsync(projectId, key, new { api_key = "customer-key-1" })).AssertStatus(HttpStatusCode.Created);

        Assert.Equal(key, connection.Str("externalId"));
        Assert.Equal("Acme CRM", connection.Str("displayName"));
        Assert.Equal(key, connection.Str("definition"));
        Assert.Equal("CUSTOMER", connection.Str("suppliedBy"));
        var engine = _app.Client(await Admin.EngineTokenAsync(projectId));
        var props = (await engine.ReadConnectionAsync(key)).Props();
        Assert.Equal("https://crm.example.com", props["base_url"]);
        Assert.Equal("canary-partner-secret", props["partner_secret"]);
        Assert.Equal("customer-key-1", props["api_key"]);
        var (_, stored) = await _app.StoredAsync(connection.Str("id"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"CUSTOM_AUTH","props":{"api_key":"customer-key-1"}}"""), JsonNode.Parse(stored)), stored);

        var again = (await Admin.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}&definition={key}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal([connection.Str("id")], again.Body.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("id").GetString()!));
        var other = (await Admin.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}&definition=no-such-definition")).AssertStatus(HttpStatusCode.OK);
        Assert.Empty(other.Body.GetProperty("data").EnumerateArray());
    }

    /// The issue's proof: 1,000 connections inherit a secret; rotating it rewrites no row, and every one serves the new secret.
    [Fact]
    public async Task GlobalValueChanged_AThousandInheritingConnectionsServeItAtTheirNextReadWithNoRowRewritten()
    {
        var key = Api.Unique("rot").ToLowerInvariant();
        var definitionId = await Admin.DefineAsync(CustomAuth(key, new { props = new { base_url = "https://v1.example.com", partner_secret = "secret-v1" } }));
        var projectId = await Admin.CreateProjectAsync();
        var externalIds = Enumerable.Range(0, 1000).Select(i => $"{key}-{i}").ToList();
        await Parallel.ForEachAsync(externalIds, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (externalId, _) =>
            (await Admin.ConnectAsync(projectId, key, new { api_key = "k-" + externalId }, externalId)).AssertStatus(HttpStatusCode.Created));
        var engine = _app.Client(await Admin.EngineTokenAsync(projectId));
        Assert.Equal("secret-v1", (await engine.ReadConnectionAsync(externalIds[0])).Props()["partner_secret"]);
        var rowsBefore = await RowVersionsAsync(projectId);

        (await Admin.ApiPostAsync($"/api/v1/connection-definitions/{definitionId}", new { globalValues = new { props = new { partner_secret = "secret-v2" } } }))
            .AssertStatus(HttpStatusCode.OK);

        foreach (var externalId in externalIds)
        {
            var props = (await engine.ReadConnectionAsync(externalId)).Props();
            Assert.Equal(("secret-v2", "https://v1.example.com", "k-" + externalId), (props["partner_secret"], props["base_url"], props["api_key"]));
        }
        Assert.Equal(rowsBefore, await RowVersionsAsync(projectId));
    }

    [Fact]
    public async Task CustomerValue_SettingAFieldTheDefinitionFixes_Is400NamingItAndStoresNothing()
    {
        var key = Api.Unique("fixed").ToLowerInvariant();
        await Admin.DefineAsync(CustomAuth(key, new { props = new { base_url = "https://crm.example.com" } }));
        var projectId = await Admin.CreateProjectAsync();

        (await Admin.ConnectAsync(projectId, key, new { base_url = "https://evil.example.com", api_key = "k" })).AssertValidation("value.props.base_url");
        (await Admin.ApiPostAsync("/api/v1/app-connections", new { projectId, definition = key, type = "SECRET_TEXT", value = new { type = "CUSTOM_AUTH", props = new { } } }))
            .AssertValidation("type");
        (await Admin.ApiPostAsync("/api/v1/app-connections", new { projectId, definition = key, value = new { type = "SECRET_TEXT", secret_text = "x" } }))
            .AssertValidation("value.type");
        (await Admin.ApiPostAsync("/api/v1/app-connections", new { projectId, definition = "no-such-definition", value = new { } }))
            .AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");

        // Organization definitions of other tests are shared with every project: only the project's own count here.
        var listed = (await Admin.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}&scope=PROJECT")).AssertStatus(HttpStatusCode.OK);
        Assert.Empty(listed.Body.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task ConnectionMadeFromADefinition_UpsertedWithoutIt_Is400AndKeepsItsValue()
    {
        var key = Api.Unique("keep").ToLowerInvariant();
        await Admin.DefineAsync(CustomAuth(key, new { props = new { base_url = "https://crm.example.com" } }));
        var projectId = await Admin.CreateProjectAsync();
        var id = (await Admin.ConnectAsync(projectId, key, new { api_key = "kept" })).AssertStatus(HttpStatusCode.Created).Str("id");

        (await Admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, key, "overwrite"))).AssertValidation("externalId");

        var (row, stored) = await _app.StoredAsync(id);
        Assert.Contains("kept", stored);
        Assert.Equal(ConnectionType.CustomAuth, row.Type);
    }

    [Theory]
    [InlineData("""{"stableKey":"Upper","displayName":"x","pieceName":"@acme/piece-crm","type":"CUSTOM_AUTH","credentials":"CUSTOMER"}""", "stableKey")]
    [InlineData("""{"stableKey":"-dash","displayName":"x","pieceName":"@acme/piece-crm","type":"CUSTOM_AUTH","credentials":"CUSTOMER"}""", "stableKey")]
    [InlineData("""{"displayName":"x","pieceName":"@acme/piece-crm","type":"CUSTOM_AUTH","credentials":"CUSTOMER"}""", "stableKey")]
    [InlineData("""{"stableKey":"ok","displayName":"x","pieceName":"@acme/piece-crm","type":"CUSTOM_AUTH","credentials":"EVERYONE"}""", "credentials")]
    [InlineData("""{"stableKey":"ok","displayName":"x","pieceName":"@acme/piece-crm","type":"NOPE","credentials":"CUSTOMER"}""", "type")]
    [InlineData("""{"stableKey":"ok","displayName":"x","pieceName":"@acme/piece-crm","type":"CUSTOM_AUTH","credentials":"ORGANIZATION","suppliedBy":"CUSTOMER"}""", "suppliedBy")]
    [InlineData("""{"stableKey":"ok","displayName":"x","pieceName":"@acme/piece-crm","type":"CUSTOM_AUTH","credentials":"CUSTOMER","suppliedBy":"SOMEONE"}""", "suppliedBy")]
    [InlineData("""{"stableKey":"ok","displayName":"x","pieceName":"@acme/piece-crm","type":"CUSTOM_AUTH","credentials":"CUSTOMER","globalValues":[1]}""", "globalValues")]
    [InlineData("""{"stableKey":"ok","displayName":"x","pieceName":"@acme/piece-crm","type":"CUSTOM_AUTH","credentials":"CUSTOMER","globalValues":{"api_key":"x"}}""", "globalValues.api_key")]
    [InlineData("""{"stableKey":"ok","displayName":"x","pieceName":"@acme/piece-crm","type":"CUSTOM_AUTH","credentials":"CUSTOMER","globalValues":{"props":"x"}}""", "globalValues.props")]
    [InlineData("""{"stableKey":"ok","displayName":"x","pieceName":"@acme/piece-crm","type":"OAUTH2","credentials":"CUSTOMER","globalValues":{"client_id":5}}""", "globalValues.client_id")]
    [InlineData("""{"stableKey":"ok","displayName":"x","pieceName":"@acme/piece-crm","type":"OAUTH2","credentials":"CUSTOMER","globalValues":{"access_token":"x"}}""", "globalValues.access_token")]
    [InlineData("""{"stableKey":"ok","displayName":"x","pieceName":"@acme/piece-crm","type":"SECRET_TEXT","credentials":"CUSTOMER","value":{"type":"SECRET_TEXT","secret_text":"x"}}""", "value")]
    [InlineData("""{"stableKey":"ok","displayName":"x","pieceName":"@acme/piece-crm","type":"SECRET_TEXT","credentials":"ORGANIZATION"}""", "value.secret_text")]
    [InlineData("""{"stableKey":"ok","displayName":"x","pieceName":"@acme/piece-crm","type":"CUSTOM_AUTH","credentials":"CUSTOMER","pieceVersion":"one"}""", "pieceVersion")]
    public async Task Upsert_BadInput_Is400NamingTheFieldAndWritesNothing(string body, string field)
    {
        var before = await _app.WithDbAsync(db => db.ConnectionDefinitions.CountAsync());

        (await Admin.ApiPostRawAsync("/api/v1/connection-definitions", body)).AssertValidation(field);

        Assert.Equal(before, await _app.WithDbAsync(db => db.ConnectionDefinitions.CountAsync()));
    }

    [Fact]
    public async Task Upsert_TypeTheRegisteredPieceDoesNotTake_Is400AndAConnectionMissingARequiredPropIs400()
    {
        var piece = $"@acme/{Api.Unique("piece")}";
        (await Admin.ApiPostAsync("/api/v1/pieces", Pieces.PiecesApiTests.Metadata(piece, "1.0.0"))).AssertStatus(HttpStatusCode.Created);
        var key = Api.Unique("fit").ToLowerInvariant();

        (await Admin.ApiPostAsync("/api/v1/connection-definitions", new { stableKey = key, displayName = "x", pieceName = piece, type = "OAUTH2", credentials = "CUSTOMER" }))
            .AssertError(HttpStatusCode.BadRequest, "INVALID_APP_CONNECTION");
        (await Admin.ApiPostAsync("/api/v1/connection-definitions", new { stableKey = key, displayName = "x", pieceName = piece, type = "CUSTOM_AUTH", credentials = "CUSTOMER" }))
            .AssertStatus(HttpStatusCode.Created);
        // The piece's required api_key is checked on the effective value: a customer value without it is a 400 naming it.
        var projectId = await Admin.CreateProjectAsync();
        (await Admin.ConnectAsync(projectId, key, new { })).AssertError(HttpStatusCode.BadRequest, "INVALID_APP_CONNECTION");
    }

    [Fact]
    public async Task Upsert_SameStableKeyTwice_CreatesThenUpdatesAndGetFindsItByIdOrKey()
    {
        var key = Api.Unique("twice").ToLowerInvariant();
        var first = (await Admin.ApiPostAsync("/api/v1/connection-definitions", CustomAuth(key, new { props = new { a = "1" } }))).AssertStatus(HttpStatusCode.Created);
        var second = (await Admin.ApiPostAsync("/api/v1/connection-definitions", CustomAuth(key, new { props = new { b = "2" } }, embedded: true)))
            .AssertStatus(HttpStatusCode.OK);

        Assert.Equal(first.Str("id"), second.Str("id"));
        Assert.Equal(["props.b"], second.Body.GetProperty("globalValueKeys").Strings());
        Assert.True(second.Body.GetProperty("embedded").GetBoolean());
        Assert.Equal(first.Str("id"), (await Admin.ApiGetAsync($"/api/v1/connection-definitions/{key}")).AssertStatus(HttpStatusCode.OK).Str("id"));
        Assert.Equal(key, (await Admin.ApiGetAsync($"/api/v1/connection-definitions/{first.Str("id")}")).AssertStatus(HttpStatusCode.OK).Str("stableKey"));
        (await Admin.ApiGetAsync("/api/v1/connection-definitions/no-such-key")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        var page = (await Admin.ApiGetAsync($"/api/v1/connection-definitions?pieceName={Uri.EscapeDataString(Piece)}&limit=100")).AssertStatus(HttpStatusCode.OK);
        Assert.Contains(page.Body.GetProperty("data").EnumerateArray(), d => d.GetProperty("stableKey").GetString() == key);
    }

    [Fact]
    public async Task OrganizationDefinition_IsOneGlobalConnectionEveryProjectNowAndLaterReads()
    {
        var before = await Admin.CreateProjectAsync();
        var key = Api.Unique("org").ToLowerInvariant();
        (await Admin.ApiPostAsync("/api/v1/connection-definitions", CustomAuth(key, new { props = new { base_url = "https://org.example.com" } },
            credentials: "ORGANIZATION", value: new { type = "CUSTOM_AUTH", props = new { api_key = "org-own-key" } })))
            .AssertStatus(HttpStatusCode.Created);
        var after = await Admin.CreateProjectAsync();

        foreach (var projectId in new[] { before, after })
        {
            var read = await _app.Client(await Admin.EngineTokenAsync(projectId)).ReadConnectionAsync(key);
            Assert.Equal(("https://org.example.com", "org-own-key"), (read.Props()["base_url"], read.Props()["api_key"]));
            Assert.Equal("PLATFORM", read.Str("scope"));
        }
        var global = (await Admin.ApiGetAsync($"/api/v1/global-connections?definition={key}")).AssertStatus(HttpStatusCode.OK).Body.GetProperty("data")[0];
        Assert.Equal("ORGANIZATION", global.GetProperty("suppliedBy").GetString());
        Assert.Equal(key, global.GetProperty("externalId").GetString());

        // A CUSTOMER connection cannot be made from it, and the global connection changes only through the definition.
        (await Admin.ConnectAsync(before, key, new { api_key = "x" })).AssertValidation("definition");
        (await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(key, [before], "overwrite"))).AssertValidation("externalId");
    }

    [Fact]
    public async Task OrganizationDefinition_NarrowedToProjects_OthersDoNotSeeIt()
    {
        var (inside, outside) = (await Admin.CreateProjectAsync(), await Admin.CreateProjectAsync());
        var key = Api.Unique("narrow").ToLowerInvariant();
        await Admin.DefineAsync(CustomAuth(key, new { props = new { api_key = "org-key" } }, credentials: "ORGANIZATION", projectIds: [inside]));

        Assert.Equal("org-key", (await _app.Client(await Admin.EngineTokenAsync(inside)).ReadConnectionAsync(key)).Props()["api_key"]);
        (await _app.Client(await Admin.EngineTokenAsync(outside)).ReadConnectionAsync(key)).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
    }

    [Fact]
    public async Task TestValue_TestRunReadsGetItMergedProductionReadsNeverAndAChangeShowsAtTheNextRead()
    {
        var key = Api.Unique("test").ToLowerInvariant();
        var id = await Admin.DefineAsync(CustomAuth(key, new { props = new { base_url = "https://crm.example.com" } }));
        var projectId = await Admin.CreateProjectAsync();
        (await Admin.ConnectAsync(projectId, key, new { api_key = "production-key" })).AssertStatus(HttpStatusCode.Created);
        var production = _app.Client(await Admin.EngineTokenAsync(projectId));
        var testRun = _app.Client(await Admin.TestRunTokenAsync(projectId));
        Assert.Equal("production-key", (await testRun.ReadConnectionAsync(key)).Props()["api_key"]);

        var set = (await Admin.ApiPostAsync($"/api/v1/connection-definitions/{id}/test-value", new { value = new { props = new { api_key = "test-key-1" } } }))
            .AssertStatus(HttpStatusCode.OK);
        Assert.True(set.Body.GetProperty("hasTestValue").GetBoolean());
        Assert.DoesNotContain("test-key-1", set.Raw);

        var read = (await testRun.ReadConnectionAsync(key)).Props();
        Assert.Equal(("test-key-1", "https://crm.example.com"), (read["api_key"], read["base_url"]));
        Assert.Equal("production-key", (await production.ReadConnectionAsync(key)).Props()["api_key"]);

        (await Admin.ApiPostAsync($"/api/v1/connection-definitions/{id}/test-value", new { value = new { props = new { api_key = "test-key-2" } } }))
            .AssertStatus(HttpStatusCode.OK);
        Assert.Equal("test-key-2", (await testRun.ReadConnectionAsync(key)).Props()["api_key"]);

        (await Admin.ApiDeleteAsync($"/api/v1/connection-definitions/{id}/test-value")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("production-key", (await testRun.ReadConnectionAsync(key)).Props()["api_key"]);
        (await Admin.ApiPostAsync($"/api/v1/connection-definitions/{id}/test-value", new { value = new { props = new { base_url = "x" } } }))
            .AssertValidation("value.props.base_url");
    }

    [Fact]
    public async Task Delete_DefinitionWithConnections_Is400WithTheCountUnlessCascadeWhichKeepsTheFlowGuard()
    {
        var key = Api.Unique("del").ToLowerInvariant();
        var id = await Admin.DefineAsync(CustomAuth(key, new { props = new { base_url = "https://crm.example.com" } }));
        var (a, b) = (await Admin.CreateProjectAsync(), await Admin.CreateProjectAsync());
        (await Admin.ConnectAsync(a, key, new { api_key = "a" })).AssertStatus(HttpStatusCode.Created);
        (await Admin.ConnectAsync(b, key, new { api_key = "b" })).AssertStatus(HttpStatusCode.Created);
        var flowId = await Admin.CreateFlowAsync(b, "ENABLED", key);

        var refused = (await Admin.ApiDeleteAsync($"/api/v1/connection-definitions/{id}")).AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        Assert.Contains("2 connections", refused.Raw);
        (await Admin.ApiDeleteAsync($"/api/v1/connection-definitions/{id}?cascade=true")).AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        Assert.Equal(2, await _app.WithDbAsync(db => db.AppConnections.CountAsync(c => c.DefinitionId == id)));

        (await Admin.ApiPostAsync($"/api/v1/flows/{flowId}", new { status = "DISABLED" })).AssertStatus(HttpStatusCode.OK);
        (await Admin.ApiDeleteAsync($"/api/v1/connection-definitions/{id}?cascade=true")).AssertStatus(HttpStatusCode.NoContent);

        (await Admin.ApiGetAsync($"/api/v1/connection-definitions/{id}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        Assert.DoesNotContain(key, (await Admin.ConnectionsByExternalIdAsync(a)).Keys);
        // B's disabled flow still names it: a MISSING placeholder stays there, inheriting from nothing.
        var placeholder = (await Admin.ConnectionsByExternalIdAsync(b))[key];
        Assert.Equal("MISSING", placeholder.GetProperty("status").GetString());
        Assert.Equal(0, await _app.WithDbAsync(db => db.AppConnections.CountAsync(c => c.DefinitionId == id)));
    }

    [Fact]
    public async Task Secrets_OfDefinitionsAndTestValues_NeverInAResponseALogLineOrAnAuditRow()
    {
        var key = Api.Unique("canary").ToLowerInvariant();
        var (globalCanary, testCanary, orgCanary) = ($"glob-{Guid.NewGuid():N}", $"test-{Guid.NewGuid():N}", $"org-{Guid.NewGuid():N}");
        var id = await Admin.DefineAsync(CustomAuth(key, new { props = new { partner_secret = globalCanary } }));
        (await Admin.ApiPostAsync($"/api/v1/connection-definitions/{id}/test-value", new { value = new { props = new { api_key = testCanary } } })).AssertStatus(HttpStatusCode.OK);
        await Admin.DefineAsync(CustomAuth(key + "-org", new { props = new { api_key = orgCanary } }, credentials: "ORGANIZATION"));
        var projectId = await Admin.CreateProjectAsync();
        (await Admin.ConnectAsync(projectId, key, new { api_key = "k" })).AssertStatus(HttpStatusCode.Created);
        await Admin.ApiGetAsync("/api/v1/connection-definitions?limit=100");
        await Admin.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}&limit=100");
        await Admin.ApiGetAsync("/api/v1/global-connections?limit=100");
        await Admin.ApiGetAsync("/api/v1/audit-events?limit=100");

        var audit = await _app.WithDbAsync(db => db.AuditEvents.AsNoTracking().Select(e => e.Details).ToListAsync());
        foreach (var canary in new[] { globalCanary, testCanary, orgCanary })
        {
            Assert.DoesNotContain(_app.ResponseBodies, body => body.Contains(canary, StringComparison.Ordinal));
            Assert.DoesNotContain(_app.Logs.Lines, line => line.Contains(canary, StringComparison.Ordinal));
            Assert.DoesNotContain(audit, details => details?.Contains(canary, StringComparison.Ordinal) == true);
        }
        // Stored encrypted under the definition's own context.
        var stored = await _app.WithDbAsync(db => db.ConnectionDefinitions.AsNoTracking().SingleAsync(d => d.Id == id));
        Assert.DoesNotContain(globalCanary, stored.GlobalValues);
        var protector = _app.Services.GetRequiredService<SecretProtector>();
        Assert.Contains(globalCanary, protector.GlobalsOf(stored));
        Assert.Equal(testCanary, JsonNode.Parse(protector.TestValueOf(stored)!)!["props"]!["api_key"]!.GetValue<string>());
    }

    private Task<List<string>> RowVersionsAsync(string projectId) => _app.WithDbAsync(db => db.AppConnections.AsNoTracking()
        .Where(c => c.ScopeKey == projectId).OrderBy(c => c.Id).Select(c => c.Id + "|" + c.Version + "|" + c.Value).ToListAsync());
}

public sealed class DefinitionsApiSqliteTests(SqliteFixture fixture) : DefinitionsApiTests(fixture), IClassFixture<SqliteFixture>;

public sealed class DefinitionsApiPostgresTests(PostgresFixture fixture) : DefinitionsApiTests(fixture), IClassFixture<PostgresFixture>;
