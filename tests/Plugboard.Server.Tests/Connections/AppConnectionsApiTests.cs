using System.Net;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Connections;

public abstract class AppConnectionsApiTests(AppFixture fixture)
{
    private readonly TestApp _app = fixture.App;
    private HttpClient Admin => _app.Client();

    [Fact]
    public async Task Upsert_NewExternalId_Creates201ThenSameExternalIdUpdates200()
    {
        var projectId = await Admin.CreateProjectAsync();

        var created = await Admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, "ext_slack_main", "xoxb-first"));
        created.AssertStatus(HttpStatusCode.Created);
        Assert.Equal("ext_slack_main", created.Str("externalId"));
        Assert.Equal("PROJECT", created.Str("scope"));
        Assert.Equal("ACTIVE", created.Str("status"));
        Assert.Equal("SECRET_TEXT", created.Str("type"));
        Assert.Equal("0.10.0", created.Str("pieceVersion"));
        Assert.Equal([projectId], created.Body.GetProperty("projectIds").EnumerateArray().Select(e => e.GetString()));
        Assert.False(created.Body.TryGetProperty("value", out _));

        var updated = await Admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, "ext_slack_main", "xoxb-second", displayName: "Renamed"));
        updated.AssertStatus(HttpStatusCode.OK);
        Assert.Equal(created.Str("id"), updated.Str("id"));
        Assert.Equal("Renamed", updated.Str("displayName"));

        var list = await Admin.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}");
        Assert.Single(list.Body.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Upsert_TwentyConcurrentUpsertsOfOneNewExternalId_LeaveExactlyOneRow()
    {
        var projectId = await Admin.CreateProjectAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            _app.Client().ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, "racy", $"secret-{i}"))));

        Assert.All(responses, r => Assert.Contains(r.Status, new[] { HttpStatusCode.Created, HttpStatusCode.OK }));
        Assert.Single(responses, r => r.Status == HttpStatusCode.Created);
        Assert.Single(responses.Select(r => r.Str("id")).Distinct());
        var rows = await _app.WithDbAsync(db => db.AppConnections.CountAsync(c => c.ScopeKey == projectId && c.ExternalId == "racy"));
        Assert.Equal(1, rows);
    }

    [Fact]
    public async Task Upsert_EveryValueType_IsAcceptedWithItsFields()
    {
        var projectId = await Admin.CreateProjectAsync();
        object[] values =
        [
            new { type = "SECRET_TEXT", secret_text = "s" },
            new { type = "BASIC_AUTH", username = "u", password = "p" },
            new { type = "CUSTOM_AUTH", props = new { base_url = "https://x", api_key = "k" } },
            new { type = "NO_AUTH" },
            new { type = "OAUTH2", client_id = "c", client_secret = "cs", access_token = "at", refresh_token = "rt", token_type = "Bearer", expires_in = 3600, claimed_at = 1_700_000_000_000L, scope = "read", token_url = "https://oauth.provider.com/token", redirect_url = "https://app/cb", grant_type = "AUTHORIZATION_CODE", data = new { } },
            new { type = "CLOUD_OAUTH2", client_id = "c", access_token = "at", refresh_token = "rt", expires_in = 3600, claimed_at = 1_700_000_000L, scope = "read", token_url = "https://t", data = new { } },
            new { type = "PLATFORM_OAUTH2", client_id = "c", access_token = "at", refresh_token = "rt", redirect_url = "https://app/cb", scope = "read", token_url = "https://t" },
        ];
        foreach (var value in values)
        {
            var type = (string)value.GetType().GetProperty("type")!.GetValue(value)!;
            var response = await Admin.ApiPostAsync("/api/v1/app-connections", new
            {
                projectId, externalId = "ext_" + type, displayName = type, pieceName = "@activepieces/piece-example", type, value,
            });
            response.AssertStatus(HttpStatusCode.Created);
            Assert.Equal(type, response.Str("type"));
        }
    }

    [Theory]
    [InlineData("""{"type":"SECRET_TEXT","value":{"type":"BASIC_AUTH","username":"u","password":"p"}}""", "value.type")]
    [InlineData("""{"type":"SECRET_TEXT","value":{"type":"SECRET_TEXT"}}""", "value.secret_text")]
    [InlineData("""{"type":"SECRET_TEXT","value":{"type":"SECRET_TEXT","secret_text":""}}""", "value.secret_text")]
    [InlineData("""{"type":"BASIC_AUTH","value":{"type":"BASIC_AUTH","username":"u"}}""", "value.password")]
    [InlineData("""{"type":"CUSTOM_AUTH","value":{"type":"CUSTOM_AUTH","props":"nope"}}""", "value.props")]
    [InlineData("""{"type":"OAUTH2","value":{"type":"OAUTH2","client_id":"c","refresh_token":"r"}}""", "value.code")]
    [InlineData("""{"type":"OAUTH2","value":{"type":"OAUTH2","client_id":"c","code":"abc","redirect_url":"https://a/cb"}}""", "value.client_secret")]
    [InlineData("""{"type":"OAUTH2","value":{"type":"OAUTH2","client_id":"c","client_secret":"s","code":"abc","redirect_url":"https://a/cb"}}""", "value.token_url")]
    [InlineData("""{"type":"OAUTH2","value":{"type":"OAUTH2","client_id":"c","client_secret":"s","code":"abc"}}""", "value.redirect_url")]
    [InlineData("""{"type":"CLOUD_OAUTH2","value":{"type":"CLOUD_OAUTH2","client_id":"c","code":"abc"}}""", "value.access_token")]
    [InlineData("""{"type":"OAUTH2","value":{"type":"OAUTH2","access_token":"a","expires_in":-5}}""", "value.expires_in")]
    [InlineData("""{"type":"OAUTH2","value":{"type":"OAUTH2","access_token":"a","grant_type":"password"}}""", "value.grant_type")]
    [InlineData("""{"type":"TOKEN","value":{"type":"TOKEN"}}""", "type")]
    [InlineData("""{"type":"SECRET_TEXT"}""", "value")]
    [InlineData("""{"type":"SECRET_TEXT","pieceVersion":"latest","value":{"type":"SECRET_TEXT","secret_text":"s"}}""", "pieceVersion")]
    [InlineData("""{"type":"SECRET_TEXT","displayName":"","value":{"type":"SECRET_TEXT","secret_text":"s"}}""", "displayName")]
    [InlineData("""{"type":"SECRET_TEXT","metadata":[1],"value":{"type":"SECRET_TEXT","secret_text":"s"}}""", "metadata")]
    public async Task Upsert_BadInput_Is400ValidationNamingTheFieldAndWritesNothing(string partial, string field)
    {
        var projectId = await Admin.CreateProjectAsync();
        var body = System.Text.Json.Nodes.JsonNode.Parse(partial)!.AsObject();
        body["projectId"] = projectId;
        body["externalId"] ??= "bad";
        body["displayName"] ??= "Bad";
        body["pieceName"] ??= "@activepieces/piece-example";

        var response = await Admin.ApiPostRawAsync("/api/v1/app-connections", body.ToJsonString());

        response.AssertValidation(field);
        var rows = await _app.WithDbAsync(db => db.AppConnections.CountAsync(c => c.ScopeKey == projectId));
        Assert.Equal(0, rows);
    }

    [Fact]
    public async Task Upsert_BadInputOnUpdate_KeepsTheStoredConnectionUntouched()
    {
        var projectId = await Admin.CreateProjectAsync();
        var created = await Admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, "keep", "original"));
        var before = await _app.WithDbAsync(db => db.AppConnections.AsNoTracking().SingleAsync(c => c.Id == created.Str("id")));

        var bad = await Admin.ApiPostRawAsync("/api/v1/app-connections",
            $$$"""{"projectId":"{{{projectId}}}","externalId":"keep","displayName":"X","pieceName":"p","type":"SECRET_TEXT","value":{"type":"SECRET_TEXT","secret_text":5}}""");

        bad.AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        var after = await _app.WithDbAsync(db => db.AppConnections.AsNoTracking().SingleAsync(c => c.Id == created.Str("id")));
        Assert.Equal(before.Value, after.Value);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.DisplayName, after.DisplayName);
    }

    [Fact]
    public async Task List_FiltersByPieceNameDisplayNameStatusAndScope()
    {
        var projectId = await Admin.CreateProjectAsync();
        await Admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, "a", "s", displayName: "Company Slack", pieceName: "@activepieces/piece-slack"));
        await Admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, "b", "s", displayName: "Gmail Sales", pieceName: "@activepieces/piece-gmail"));
        (await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(Api.Unique("g"), [projectId], "gs"))).AssertStatus(HttpStatusCode.Created);

        async Task<string[]> Names(string query) =>
            (await Admin.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}&{query}")).AssertStatus(HttpStatusCode.OK)
                .Body.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("displayName").GetString()!).Order().ToArray();

        Assert.Equal(["Company Slack", "Gelato Connection", "Gmail Sales"], await Names("limit=10"));
        Assert.Equal(["Company Slack"], await Names("pieceName=%40activepieces%2Fpiece-slack"));
        Assert.Equal(["Company Slack"], await Names("displayName=sLaC"));
        Assert.Equal(["Company Slack", "Gelato Connection", "Gmail Sales"], await Names("status=ACTIVE&status=ERROR"));
        Assert.Empty(await Names("status=ERROR"));
        Assert.Equal(["Gelato Connection"], await Names("scope=PLATFORM"));
        Assert.Equal(["Company Slack", "Gmail Sales"], await Names("scope=PROJECT"));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=bmV4dF9nYXJibGVk", "cursor")]
    [InlineData("status=EXPIRED", "status")]
    [InlineData("scope=GLOBAL", "scope")]
    public async Task List_BadQuery_Is400Validation(string query, string field)
    {
        var projectId = await Admin.CreateProjectAsync();
        var response = await Admin.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}&{query}");
        response.AssertValidation(field);
    }

    [Fact]
    public async Task List_PagingThrough27RowsForwardAndBack_SkipsAndRepeatsNothing()
    {
        var projectId = await Admin.CreateProjectAsync();
        var globalId = (await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(Api.Unique("g"), [projectId], "gs"))).Str("id");
        var expected = new List<string> { globalId };
        // Concurrent creates, so several rows may share a timestamp.
        var created = await Task.WhenAll(Enumerable.Range(0, 26).Select(i =>
            _app.Client().ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, $"conn_{i:D2}", "s"))));
        expected.AddRange(created.Select(r => r.Str("id")));

        var seen = new List<string>();
        var pages = new List<(string? Previous, string[] Ids)>();
        string? cursor = null;
        do
        {
            var page = (await Admin.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}&limit=10" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")))
                .AssertStatus(HttpStatusCode.OK).Body;
            var ids = page.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToArray();
            seen.AddRange(ids);
            pages.Add((page.GetProperty("previous").GetString(), ids));
            cursor = page.GetProperty("next").GetString();
        }
        while (cursor is not null);

        Assert.Equal(expected.Order(), seen.Order());
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal([10, 10, 7], pages.Select(p => p.Ids.Length));
        Assert.Null(pages[0].Previous);

        // Back from the last page: exactly the second page again.
        var back = (await Admin.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}&limit=10&cursor={Uri.EscapeDataString(pages[2].Previous!)}")).Body;
        Assert.Equal(pages[1].Ids, back.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!));
    }

    [Fact]
    public async Task UpdateMetadata_ChangesNameAndMetadataButNeverTheValue()
    {
        var projectId = await Admin.CreateProjectAsync();
        var id = (await Admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, "m", "secret"))).Str("id");
        var valueBefore = await _app.WithDbAsync(db => db.AppConnections.Where(c => c.Id == id).Select(c => c.Value).SingleAsync());

        var response = await Admin.ApiPostAsync($"/api/v1/app-connections/{id}", new { displayName = "Updated Slack Connection", metadata = new { team = "marketing" } });

        response.AssertStatus(HttpStatusCode.OK);
        Assert.Equal("Updated Slack Connection", response.Str("displayName"));
        Assert.Equal("marketing", response.Body.GetProperty("metadata").GetProperty("team").GetString());
        var read = await Admin.ApiGetAsync($"/api/v1/app-connections/{id}");
        Assert.Equal("Updated Slack Connection", read.Str("displayName"));
        Assert.Equal(valueBefore, await _app.WithDbAsync(db => db.AppConnections.Where(c => c.Id == id).Select(c => c.Value).SingleAsync()));
        (await Admin.ApiPostAsync($"/api/v1/app-connections/{id}", new { displayName = "" })).AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        (await Admin.ApiPostAsync("/api/v1/app-connections/doesNotExist000000000", new { displayName = "x" })).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
    }

    [Fact]
    public async Task Delete_ProjectConnection_Is204ThenGone404()
    {
        var projectId = await Admin.CreateProjectAsync();
        var id = (await Admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, "d", "s"))).Str("id");

        (await Admin.ApiDeleteAsync($"/api/v1/app-connections/{id}")).AssertStatus(HttpStatusCode.NoContent);

        var missing = (await Admin.ApiGetAsync($"/api/v1/app-connections/{id}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        Assert.Equal("app_connection", missing.Body.GetProperty("params").GetProperty("entityType").GetString());
        Assert.Equal(id, missing.Body.GetProperty("params").GetProperty("entityId").GetString());
        (await Admin.ApiDeleteAsync($"/api/v1/app-connections/{id}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
    }

    [Fact]
    public async Task Delete_GlobalConnectionThroughProjectRoute_Is403AndDeletesNothing()
    {
        var projectId = await Admin.CreateProjectAsync();
        var globalId = (await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(Api.Unique("g"), [projectId], "gs"))).Str("id");

        var response = await Admin.ApiDeleteAsync($"/api/v1/app-connections/{globalId}");

        response.AssertError(HttpStatusCode.Forbidden, "AUTHORIZATION");
        Assert.Contains("global-connections", response.Body.GetProperty("params").GetProperty("message").GetString());
        (await Admin.ApiGetAsync($"/api/v1/app-connections/{globalId}")).AssertStatus(HttpStatusCode.OK);
        (await Admin.ApiPostAsync($"/api/v1/app-connections/{globalId}", new { displayName = "x" })).AssertError(HttpStatusCode.Forbidden, "AUTHORIZATION");
    }

    [Fact]
    public async Task Owners_ListsWhoOwnsTheProjectsConnections()
    {
        var projectId = await Admin.CreateProjectAsync();
        var empty = await Admin.ApiGetAsync($"/api/v1/app-connections/owners?projectId={projectId}");
        Assert.Empty(empty.Body.GetProperty("data").EnumerateArray());

        await Admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, "o", "s"));
        var owners = (await Admin.ApiGetAsync($"/api/v1/app-connections/owners?projectId={projectId}")).AssertStatus(HttpStatusCode.OK).Body;

        var owner = Assert.Single(owners.GetProperty("data").EnumerateArray());
        Assert.Equal("admin@plugboard.local", owner.GetProperty("email").GetString());
        Assert.True(owner.TryGetProperty("firstName", out _));
        Assert.True(owner.TryGetProperty("lastName", out _));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, owners.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task ProjectRoutes_WithPlatformKeyAndNoProjectId_Are400()
    {
        (await Admin.ApiGetAsync("/api/v1/app-connections")).AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        (await Admin.ApiPostAsync("/api/v1/app-connections", new { externalId = "x", displayName = "x", pieceName = "p", type = "NO_AUTH", value = new { type = "NO_AUTH" } }))
            .AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        (await Admin.ApiGetAsync("/api/v1/app-connections?projectId=unknownProject0000000")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
    }
}

public sealed class AppConnectionsApiSqliteTests(SqliteFixture fixture) : AppConnectionsApiTests(fixture), IClassFixture<SqliteFixture>;

public sealed class AppConnectionsApiPostgresTests(PostgresFixture fixture) : AppConnectionsApiTests(fixture), IClassFixture<PostgresFixture>;
