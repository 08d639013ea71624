using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Audit;
using Plugboard.Server.Platform;
using Plugboard.Server.Tests.Engine;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Server.Tests.Startup;

namespace Plugboard.Server.Tests.Platform;

/// /api/v1/platforms: the operator creates, lists, reads, disables and enables platforms; nothing else opens
/// those routes, and the operator key opens nothing else.
public abstract class PlatformsApiTests(OperatorFixture fixture)
{
    private readonly TestApp _app = fixture.App;
    private HttpClient Operator => fixture.Operator;

    [Fact]
    public async Task Create_NameAndAdminEmail_Is201WithTheKeyOnceAndAnAdminOwner()
    {
        var name = Api.Unique("Acme");

        var response = await Operator.ApiPostAsync("/api/v1/platforms", new { name, adminEmail = "ops@acme.test" });

        response.AssertStatus(HttpStatusCode.Created);
        var id = response.Str("id");
        Assert.Equal(name, response.Str("name"));
        Assert.Equal(JsonValueKind.Null, response.Body.GetProperty("disabledAt").ValueKind);
        Assert.True(response.Body.GetProperty("created").GetDateTime() > DateTime.UtcNow.AddMinutes(-5));
        var key = response.Str("adminApiKey");
        Assert.StartsWith("sk-", key, StringComparison.Ordinal);
        Assert.Equal(64, key.Length);

        var read = (await Operator.ApiGetAsync($"/api/v1/platforms/{id}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(name, read.Str("name"));
        Assert.False(read.Body.TryGetProperty("adminApiKey", out _));
        Assert.DoesNotContain(key, read.Raw, StringComparison.Ordinal);

        var (owner, keys, audit) = await _app.WithDbAsync(async db => (
            await db.Users.AsNoTracking().SingleAsync(u => u.PlatformId == id),
            await db.ApiKeys.AsNoTracking().Where(k => k.PlatformId == id).ToListAsync(),
            await db.AuditEvents.AsNoTracking().Where(e => e.PlatformId == id).OrderBy(e => e.Action).ToListAsync()));
        Assert.Equal("ops@acme.test", owner.Email);
        Assert.Equal(PlatformRole.Admin, owner.PlatformRole);
        Assert.Equal(owner.Id, await _app.WithDbAsync(db => db.Platforms.Where(p => p.Id == id).Select(p => p.OwnerId).SingleAsync()));
        var stored = Assert.Single(keys);
        Assert.Null(stored.ProjectId);
        Assert.Equal(ApiKeyHash.Hash(key), stored.HashedValue);
        Assert.Equal(["api_key.created", "platform.created"], audit.Select(e => e.Action));
        Assert.All(audit, e => Assert.Equal("OPERATOR", e.ActorType));
        Assert.DoesNotContain(audit, e => e.Details?.Contains(key, StringComparison.Ordinal) == true);
        Assert.DoesNotContain(_app.Logs.Lines, line => line.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Create_Response_IsNotCacheable()
    {
        using var response = await Operator.PostAsJsonAsync("/api/v1/platforms", new { name = Api.Unique("nostore") });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, "the admin key must not be cached");
    }

    [Theory]
    [InlineData("{}", "name")]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"name":"   "}""", "name")]
    [InlineData("""{"name":"ok","adminEmail":"not-an-email"}""", "adminEmail")]
    [InlineData("""{"name":"ok","adminEmail":""}""", "adminEmail")]
    public async Task Create_InvalidBody_Is400NamingTheField(string body, string field)
    {
        var before = await _app.WithDbAsync(db => db.Platforms.CountAsync());

        (await Operator.ApiPostRawAsync("/api/v1/platforms", body)).AssertValidation(field);

        Assert.Equal(before, await _app.WithDbAsync(db => db.Platforms.CountAsync()));
    }

    [Fact]
    public async Task Create_NameTooLong_Is400NamingTheField() =>
        (await Operator.ApiPostAsync("/api/v1/platforms", new { name = new string('n', 256) })).AssertValidation("name");

    [Fact]
    public async Task List_SmallPages_WalksEveryPlatformOnceIncludingTheBootstrapOne()
    {
        var created = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            created.Add((await fixture.CreatePlatformAsync()).Id);
        }
        var bootstrap = await _app.WithDbAsync(db => db.Platforms.OrderBy(p => p.Created).Select(p => p.Id).FirstAsync());

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = (await Operator.ApiGetAsync("/api/v1/platforms?limit=2" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")))
                .AssertStatus(HttpStatusCode.OK);
            var data = page.Body.GetProperty("data").EnumerateArray().ToList();
            Assert.True(data.Count <= 2);
            Assert.All(data, p => Assert.False(p.TryGetProperty("adminApiKey", out _)));
            seen.AddRange(data.Select(p => p.GetProperty("id").GetString()!));
            cursor = page.Body.GetProperty("next").GetString();
        }
        while (cursor is not null);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Contains(bootstrap, seen);
        Assert.All(created, id => Assert.Contains(id, seen));
        Assert.Equal(await _app.WithDbAsync(db => db.Platforms.CountAsync()), seen.Count);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("cursor=nonsense", "cursor")]
    public async Task List_BadPaging_Is400NamingTheField(string query, string field) =>
        (await Operator.ApiGetAsync($"/api/v1/platforms?{query}")).AssertValidation(field);

    [Theory]
    [InlineData("GET", "")]
    [InlineData("POST", "/disable")]
    [InlineData("POST", "/enable")]
    public async Task UnknownPlatform_Is404(string method, string suffix)
    {
        var response = await Api.SendAsync(Operator, new HttpMethod(method), $"/api/v1/platforms/noSuchPlatform0000000{suffix}", null);

        response.AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        Assert.Equal("platform", response.Body.GetProperty("params").GetProperty("entityType").GetString());
    }

    [Fact]
    public async Task NewPlatformAdminKey_ItsOwnRoutes_WorkAndSeeNothingOfTheBootstrapPlatform()
    {
        var (platformId, key) = await fixture.CreatePlatformAsync();
        var b = _app.Client(key);
        var projectOfA = await _app.Client().CreateProjectAsync();

        var project = await b.CreateProjectAsync();
        var connection = (await b.ApiPostAsync("/api/v1/app-connections", Api.SecretText(project, "slack_b", "xoxb-b"))).AssertStatus(HttpStatusCode.Created);
        Assert.Equal(platformId, connection.Str("platformId"));
        var projectKey = (await b.ApiPostAsync("/api/v1/api-keys", new { displayName = "b project", projectId = project })).AssertStatus(HttpStatusCode.Created).Str("value");
        (await _app.Client(projectKey).ApiGetAsync("/api/v1/app-connections?limit=10")).AssertStatus(HttpStatusCode.OK);
        var engine = _app.Client(await b.EngineTokenAsync(project));
        var read = (await engine.ReadConnectionAsync("slack_b")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("xoxb-b", read.Body.GetProperty("value").GetProperty("secret_text").GetString());

        var projects = (await b.ApiGetAsync("/api/v1/projects?limit=100")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal([project], projects.Body.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        (await b.ApiGetAsync($"/api/v1/projects/{projectOfA}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        var audit = (await b.ApiGetAsync("/api/v1/audit-events?action=platform.created")).AssertStatus(HttpStatusCode.OK);
        var created = Assert.Single(audit.Body.GetProperty("data").EnumerateArray());
        Assert.Equal("OPERATOR", created.GetProperty("actorType").GetString());
    }

    [Theory]
    [InlineData("GET", "/api/v1/app-connections")]
    [InlineData("GET", "/api/v1/projects")]
    [InlineData("POST", "/api/v1/projects")]
    [InlineData("GET", "/api/v1/global-connections")]
    [InlineData("GET", "/api/v1/api-keys")]
    [InlineData("POST", "/api/v1/api-keys")]
    [InlineData("POST", "/api/v1/engine-tokens")]
    [InlineData("GET", "/api/v1/audit-events")]
    [InlineData("GET", "/api/v1/pieces")]
    [InlineData("GET", "/api/v1/oauth-apps")]
    [InlineData("GET", "/api/v1/worker/project")]
    public async Task OperatorKey_OnPlatformAndProjectRoutes_Is401(string method, string path)
    {
        var response = await Api.SendAsync(Operator, new HttpMethod(method), path, method == "POST" ? new { displayName = "by the operator" } : null);

        response.AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
    }

    [Fact]
    public async Task PlatformCredentials_OnPlatformRoutes_Are401()
    {
        var (platformId, key) = await fixture.CreatePlatformAsync();
        var project = await _app.Client(key).CreateProjectAsync();
        var projectKey = (await _app.Client(key).ApiPostAsync("/api/v1/api-keys", new { displayName = "p", projectId = project })).Str("value");
        var engineToken = await _app.Client(key).EngineTokenAsync(project);

        foreach (var credential in new[] { TestApp.AdminKey, key, projectKey, engineToken, OperatorFixture.OperatorKey + "x", OperatorFixture.OperatorKey[..^1] })
        {
            var client = _app.Client(credential);
            (await client.ApiGetAsync("/api/v1/platforms")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
            (await client.ApiPostAsync("/api/v1/platforms", new { name = "sneaky" })).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
            (await client.ApiPostAsync($"/api/v1/platforms/{platformId}/disable", new { })).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        }
        // Reading one platform: its own platform key may (its settings page), no other credential.
        (await _app.Client(key).ApiGetAsync($"/api/v1/platforms/{platformId}")).AssertStatus(HttpStatusCode.OK);
        (await _app.Client(TestApp.AdminKey).ApiGetAsync($"/api/v1/platforms/{platformId}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        (await _app.Client(projectKey).ApiGetAsync($"/api/v1/platforms/{platformId}")).AssertError(HttpStatusCode.Forbidden, "AUTHORIZATION");
        foreach (var credential in new[] { OperatorFixture.OperatorKey + "x", OperatorFixture.OperatorKey[..^1], null })
        {
            (await _app.Client(credential).ApiGetAsync($"/api/v1/platforms/{platformId}")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        }
        var byEngine = await _app.Client(engineToken).ApiGetAsync($"/api/v1/platforms/{platformId}");
        Assert.True(byEngine.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"engine token: {byEngine.Status}");
        (await _app.Client(null).ApiGetAsync("/api/v1/platforms")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        Assert.Equal(0, await _app.WithDbAsync(db => db.Platforms.CountAsync(p => p.Name == "sneaky")));
        Assert.Null(await _app.WithDbAsync(db => db.Platforms.Where(p => p.Id == platformId).Select(p => p.DisabledAt).SingleAsync()));
    }

    [Fact]
    public async Task Disable_ThenEnable_KeysAndEarlierEngineTokensAreRefusedThenWorkAgain()
    {
        var (platformId, key) = await fixture.CreatePlatformAsync();
        var admin = _app.Client(key);
        var project = await admin.CreateProjectAsync();
        (await admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(project, "kept", "kept-secret"))).AssertStatus(HttpStatusCode.Created);
        var projectKey = _app.Client((await admin.ApiPostAsync("/api/v1/api-keys", new { displayName = "p", projectId = project })).Str("value"));
        var engine = _app.Client(await admin.EngineTokenAsync(project));
        (await engine.ReadConnectionAsync("kept")).AssertStatus(HttpStatusCode.OK);

        var disabled = (await Operator.ApiPostAsync($"/api/v1/platforms/{platformId}/disable", new { })).AssertStatus(HttpStatusCode.OK);
        var disabledAt = disabled.Body.GetProperty("disabledAt").GetDateTime();

        (await admin.ApiGetAsync("/api/v1/projects")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        (await admin.ApiPostAsync("/api/v1/engine-tokens", new { projectId = project })).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        (await projectKey.ApiGetAsync("/api/v1/app-connections")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        (await engine.ReadConnectionAsync("kept")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        (await engine.ApiGetAsync("/api/v1/worker/project")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        (await _app.Client().ApiGetAsync("/api/v1/projects")).AssertStatus(HttpStatusCode.OK);
        var again = (await Operator.ApiPostAsync($"/api/v1/platforms/{platformId}/disable", new { })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(disabledAt, again.Body.GetProperty("disabledAt").GetDateTime());
        var listed = (await Operator.ApiGetAsync("/api/v1/platforms?limit=100")).Body.GetProperty("data").EnumerateArray()
            .Single(p => p.GetProperty("id").GetString() == platformId);
        Assert.Equal(disabledAt, listed.GetProperty("disabledAt").GetDateTime());

        var enabled = (await Operator.ApiPostAsync($"/api/v1/platforms/{platformId}/enable", new { })).AssertStatus(HttpStatusCode.OK);

        Assert.Equal(JsonValueKind.Null, enabled.Body.GetProperty("disabledAt").ValueKind);
        (await admin.ApiGetAsync("/api/v1/projects")).AssertStatus(HttpStatusCode.OK);
        (await projectKey.ApiGetAsync("/api/v1/app-connections")).AssertStatus(HttpStatusCode.OK);
        var read = (await engine.ReadConnectionAsync("kept")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("kept-secret", read.Body.GetProperty("value").GetProperty("secret_text").GetString());
        var actions = await _app.WithDbAsync(db => db.AuditEvents.AsNoTracking()
            .Where(e => e.PlatformId == platformId && e.EntityId == platformId).OrderBy(e => e.Created).Select(e => e.Action + "/" + e.ActorType).ToListAsync());
        Assert.Equal(["platform.created/OPERATOR", "platform.disabled/OPERATOR", "platform.enabled/OPERATOR"], actions);
    }

    [Fact]
    public async Task Disable_SeenByAnotherReplica_EngineTokensRefusedOnceItsCacheIsOlderThanTwoSeconds()
    {
        var (platformId, key) = await fixture.CreatePlatformAsync();
        var project = await _app.Client(key).CreateProjectAsync();
        var token = await _app.Client(key).EngineTokenAsync(project);
        var time = TestClock.StartingNow();
        await using var replica = new TestApp(fixture.Storage, OperatorFixture.Settings(), time);
        var engineOnReplica = replica.Client(token);
        (await engineOnReplica.ApiGetAsync("/api/v1/worker/project")).AssertStatus(HttpStatusCode.OK);

        (await Operator.ApiPostAsync($"/api/v1/platforms/{platformId}/disable", new { })).AssertStatus(HttpStatusCode.OK);

        // API keys are checked against the database on every request: refused on every replica at once.
        (await replica.Client(key).ApiGetAsync("/api/v1/projects")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        // Engine tokens go by the replica's cached set, which it re-reads once it is PlatformStatus.MaxAge old.
        (await engineOnReplica.ApiGetAsync("/api/v1/worker/project")).AssertStatus(HttpStatusCode.OK);
        time.Advance(PlatformStatus.MaxAge + TimeSpan.FromMilliseconds(100));
        (await engineOnReplica.ApiGetAsync("/api/v1/worker/project")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");

        (await Operator.ApiPostAsync($"/api/v1/platforms/{platformId}/enable", new { })).AssertStatus(HttpStatusCode.OK);
        time.Advance(PlatformStatus.MaxAge + TimeSpan.FromMilliseconds(100));
        (await engineOnReplica.ApiGetAsync("/api/v1/worker/project")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Restart_DisabledBootstrapPlatform_StaysDisabled()
    {
        await using var storage = await TestStorage.CreateAsync(fixture.Engine);
        string bootstrapId;
        await using (var first = Restarts.Start(storage, OperatorFixture.Settings()))
        {
            bootstrapId = await first.WithDbAsync(db => db.Platforms.Select(p => p.Id).SingleAsync());
            (await first.Client(OperatorFixture.OperatorKey).ApiPostAsync($"/api/v1/platforms/{bootstrapId}/disable", new { })).AssertStatus(HttpStatusCode.OK);
        }

        await using var second = Restarts.Start(storage, OperatorFixture.Settings());

        (await second.Client().ApiGetAsync("/api/v1/projects")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        Assert.Equal(1, await second.WithDbAsync(db => db.Platforms.CountAsync()));
        (await second.Client(OperatorFixture.OperatorKey).ApiPostAsync($"/api/v1/platforms/{bootstrapId}/enable", new { })).AssertStatus(HttpStatusCode.OK);
        (await second.Client().ApiGetAsync("/api/v1/projects")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task NoOperatorKeyConfigured_EveryPlatformRoute_Is401()
    {
        await using var storage = await TestStorage.CreateAsync(fixture.Engine);
        await using var app = Restarts.Start(storage);
        var platformId = await app.WithDbAsync(db => db.Platforms.Select(p => p.Id).SingleAsync());

        foreach (var credential in new string?[] { null, TestApp.AdminKey, OperatorFixture.OperatorKey })
        {
            var client = app.Client(credential);
            (await client.ApiGetAsync("/api/v1/platforms")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
            if (credential != TestApp.AdminKey)
            {
                // The platform's own key reads its own platform (PlatformCredentials_OnPlatformRoutes_Are401 covers it).
                (await client.ApiGetAsync($"/api/v1/platforms/{platformId}")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
            }
            (await client.ApiPostAsync("/api/v1/platforms", new { name = "x" })).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
            (await client.ApiPostAsync($"/api/v1/platforms/{platformId}/disable", new { })).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
            (await client.ApiPostAsync($"/api/v1/platforms/{platformId}/enable", new { })).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        }
        Assert.Equal(1, await app.WithDbAsync(db => db.Platforms.CountAsync()));
    }

    [Theory]
    [InlineData("short-operator-key")]
    [InlineData("op-key-with a space-0123456789ABCDEFGHIJKLMNOP")]
    public async Task Start_OperatorKeyTooShortOrWithSpaces_FailsNamingTheVariable(string key)
    {
        await using var storage = await TestStorage.CreateAsync(fixture.Engine);

        var error = await Restarts.FailsToStartAsync(storage, new Dictionary<string, string?> { ["PLUGBOARD_OPERATOR_KEY"] = key }, "PLUGBOARD_OPERATOR_KEY");

        Assert.Contains("32", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, error.Message, StringComparison.Ordinal);
    }
}

public sealed class PlatformsApiSqliteTests(SqliteOperatorFixture fixture) : PlatformsApiTests(fixture), IClassFixture<SqliteOperatorFixture>;

public sealed class PlatformsApiPostgresTests(PostgresOperatorFixture fixture) : PlatformsApiTests(fixture), IClassFixture<PostgresOperatorFixture>;
