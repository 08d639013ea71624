using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Audit;
using Plugboard.Server.Data;
using Plugboard.Server.Tests.Engine;
using Plugboard.Server.Tests.Flows;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Server.Tests.OAuth;
using Plugboard.Testing.FakeUpstream;

namespace Plugboard.Server.Tests.Proxy;

/// The authenticated proxy against a fake API on 127.0.0.1 that records exactly what it received: each credential
/// type injected, nothing of the caller's passed on, refresh on 401, unusable connections and escaping paths refused
/// with nothing sent, and every call audited without a secret.
public abstract class ProxyTests(ProxyFixture fixture)
{
    private readonly HttpClient _admin = fixture.App.Client();

    private async Task<(string ProjectId, HttpClient Engine)> ProjectAsync()
    {
        var projectId = await _admin.CreateProjectAsync();
        return (projectId, fixture.App.Client(await _admin.EngineTokenAsync(projectId)));
    }

    /// A definition whose proxy base is the fake API under /v1, and the project's connection of it.
    private async Task<string> ConnectAsync(string projectId, string type, object value, object? globals = null)
    {
        var key = Api.Unique("px").ToLowerInvariant();
        (await _admin.ApiPostAsync("/api/v1/connection-definitions", new
        {
            stableKey = key, displayName = "API", pieceName = "@acme/piece-api", type, credentials = "CUSTOMER", globalValues = globals,
            proxyBaseUrl = fixture.Upstream.BaseUrl + "/v1",
        })).AssertStatus(HttpStatusCode.Created);
        (await _admin.ApiPostAsync("/api/v1/app-connections", new { projectId, definition = key, value })).AssertStatus(HttpStatusCode.Created);
        return key;
    }

    private ReceivedRequest LastTo(string path) => fixture.Upstream.Received.Last(r => r.Path == path);

    [Fact]
    public async Task SecretTextAndBasicAuth_InjectedAsBearerAndBasic_WithTheCallersMethodPathQueryAndBodyButNotItsCredentialsOrCookies()
    {
        var (projectId, engine) = await ProjectAsync();
        var bearer = await ConnectAsync(projectId, "SECRET_TEXT", new { type = "SECRET_TEXT", secret_text = "sk_live_upstream" });
        var basic = await ConnectAsync(projectId, "BASIC_AUTH", new { type = "BASIC_AUTH", password = "pa55" }, new { username = "acme" });
        var path = $"/v1/orders/{Guid.NewGuid():N}";

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/worker/proxy/{bearer}/orders/{path[11..]}?expand=items&limit=5")
        {
            Content = new StringContent("""{"amount":42}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Cookie", "session=caller-cookie");
        request.Headers.Add("X-Caller-Secret", "caller-only");
        request.Headers.Add("Accept", "application/json");
        using var response = await engine.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"ok\":true", await response.Content.ReadAsStringAsync());
        Assert.Equal(["true"], response.Headers.GetValues("Plugboard-Upstream"));
        var received = LastTo(path);
        Assert.Equal(("POST", "?expand=items&limit=5", """{"amount":42}"""), (received.Method, received.Query, received.Body));
        Assert.Equal("Bearer sk_live_upstream", received.Headers["Authorization"]);
        Assert.StartsWith("application/json", received.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.False(received.Headers.ContainsKey("Cookie"));
        Assert.False(received.Headers.ContainsKey("X-Caller-Secret"));

        (await engine.ApiGetAsync($"/api/v1/worker/proxy/{basic}/me")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("acme:pa55")), LastTo("/v1/me").Headers["Authorization"]);
    }

    [Fact]
    public async Task NewCredential_UpsertedBetweenTwoCalls_TheNextCallCarriesIt()
    {
        var (projectId, engine) = await ProjectAsync();
        var key = await ConnectAsync(projectId, "SECRET_TEXT", new { type = "SECRET_TEXT", secret_text = "first-secret" });
        var path = $"/v1/rotating/{Guid.NewGuid():N}";
        for (var i = 0; i < 3; i++)
        {
            (await engine.ApiGetAsync($"/api/v1/worker/proxy/{key}/{path[4..]}")).AssertStatus(HttpStatusCode.OK);
        }

        (await _admin.ApiPostAsync("/api/v1/app-connections", new { projectId, definition = key, value = new { type = "SECRET_TEXT", secret_text = "second-secret" } }))
            .AssertStatus(HttpStatusCode.OK);
        (await engine.ApiGetAsync($"/api/v1/worker/proxy/{key}/{path[4..]}")).AssertStatus(HttpStatusCode.OK);

        Assert.Equal("Bearer second-secret", LastTo(path).Headers["Authorization"]);
        (await _admin.ApiDeleteAsync($"/api/v1/app-connections/{(await _admin.ConnectionsByExternalIdAsync(projectId))[key].GetProperty("id").GetString()}"))
            .AssertStatus(HttpStatusCode.NoContent);
        (await engine.ApiGetAsync($"/api/v1/worker/proxy/{key}/{path[4..]}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
    }

    [Fact]
    public async Task CustomAuth_ThePiecesDeclaredHeaderAndQueryTemplates_AreFilledFromTheProps()
    {
        var (projectId, engine) = await ProjectAsync();
        var piece = $"@acme/{Api.Unique("piece")}";
        (await _admin.ApiPostAsync("/api/v1/pieces", new
        {
            name = piece, version = "1.0.0", displayName = "Templated",
            auth = new[]
            {
                new
                {
                    type = "CUSTOM_AUTH", displayName = "Key", required = true,
                    props = new { api_key = new { displayName = "Key", type = "SECRET_TEXT", required = true }, region = new { displayName = "Region", type = "SHORT_TEXT", required = true } },
                    baseUrl = fixture.Upstream.BaseUrl + "/templated",
                    headers = new Dictionary<string, string> { ["X-Api-Key"] = "{{props.api_key}}" },
                    query = new Dictionary<string, string> { ["region"] = "{{props.region}}" },
                },
            },
        })).AssertStatus(HttpStatusCode.Created);
        var externalId = Api.Unique("tpl");
        (await _admin.ApiPostAsync("/api/v1/app-connections", new
        {
            projectId, externalId, displayName = "T", pieceName = piece, type = "CUSTOM_AUTH",
            value = new { type = "CUSTOM_AUTH", props = new { api_key = "key-from-props", region = "eu" } },
        })).AssertStatus(HttpStatusCode.Created);

        (await engine.ApiGetAsync($"/api/v1/worker/proxy/{externalId}/things?page=2")).AssertStatus(HttpStatusCode.OK);

        var received = LastTo("/templated/things");
        Assert.Equal("key-from-props", received.Headers["X-Api-Key"]);
        Assert.Equal("?page=2&region=eu", received.Query);
        Assert.False(received.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task OAuth2_Upstream401_RefreshesOnceAndRetriesWithTheNewToken()
    {
        var (projectId, engine) = await ProjectAsync();
        var (clientId, secret) = fixture.NewClient();
        var tokens = fixture.Provider.IssueTokens(clientId);
        var key = await ConnectAsync(projectId, "OAUTH2", new
        {
            type = "OAUTH2", access_token = tokens.AccessToken, refresh_token = tokens.RefreshToken, token_type = "Bearer", expires_in = 3600,
            claimed_at = fixture.Time.UnixSeconds,
        }, new { client_id = clientId, client_secret = secret, token_url = fixture.Provider.TokenUrl });
        var path = $"/v1/oauth/{Guid.NewGuid():N}";
        fixture.Upstream.Reply[path] = r => r.Headers["Authorization"] == $"Bearer {tokens.AccessToken}"
            ? (401, """{"error":"expired"}""", new Dictionary<string, string>())
            : (200, """{"fresh":true}""", new Dictionary<string, string> { ["Set-Cookie"] = "upstream=1", ["ETag"] = "\"v1\"" });

        using var response = await engine.GetAsync($"/api/v1/worker/proxy/{key}/oauth/{path[10..]}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"fresh":true}""", await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Equal("\"v1\"", response.Headers.ETag?.Tag);
        var calls = fixture.Upstream.Received.Where(r => r.Path == path).ToList();
        Assert.Equal(2, calls.Count);
        Assert.NotEqual(calls[0].Headers["Authorization"], calls[1].Headers["Authorization"]);
        Assert.Equal(1, fixture.Calls(clientId, "refresh_token"));
    }

    [Fact]
    public async Task ApiKeyRoute_ProjectIdPicksTheProjectAndIsNotForwardedNorIsTheKey()
    {
        var (projectId, _) = await ProjectAsync();
        var key = await ConnectAsync(projectId, "SECRET_TEXT", new { type = "SECRET_TEXT", secret_text = "via-key" });

        (await _admin.ApiGetAsync($"/api/v1/proxy/{key}/search?projectId={projectId}&q=shoes")).AssertStatus(HttpStatusCode.OK);

        var received = LastTo("/v1/search");
        Assert.Equal("?q=shoes", received.Query);
        Assert.Equal("Bearer via-key", received.Headers["Authorization"]);
        var other = await _admin.CreateProjectAsync();
        (await _admin.ApiGetAsync($"/api/v1/proxy/{key}/search?projectId={other}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
    }

    [Theory]
    [InlineData("../admin")]
    [InlineData("a/../../admin")]
    [InlineData("%2e%2e/admin")]
    [InlineData("%2E%2E%2Fadmin")]
    [InlineData("//evil.example.com/x")]
    [InlineData("http:/evil")]
    [InlineData("a/%5c..%5cadmin")]
    public async Task Path_EscapingTheBase_IsRefusedAndNothingIsSent(string path)
    {
        var (projectId, engine) = await ProjectAsync();
        var key = await ConnectAsync(projectId, "SECRET_TEXT", new { type = "SECRET_TEXT", secret_text = "s" });
        var before = fixture.Upstream.Received.Count;

        var response = await engine.ApiGetAsync($"/api/v1/worker/proxy/{key}/{path}");

        // Dot segments are removed before routing (by the client, or by Kestrel for a raw request): such a path no longer
        // names the proxy route (404). What reaches the proxy is refused there (400). Either way nothing goes upstream.
        Assert.True(response.Status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{(int)response.Status}: {response.Raw}");
        Assert.Equal(before, fixture.Upstream.Received.Count);
    }

    [Fact]
    public async Task UnusableConnectionsAndUnknownBases_AreRefusedWithNothingSent()
    {
        var (projectId, engine) = await ProjectAsync();
        var before = fixture.Upstream.Received.Count;
        // MISSING: a placeholder a flow brought.
        var missing = Api.Unique("missing");
        await _admin.CreateFlowAsync(projectId, "DISABLED", missing);
        (await engine.ApiGetAsync($"/api/v1/worker/proxy/{missing}/x")).AssertError(HttpStatusCode.Conflict, "CONNECTION_NOT_USABLE");
        // Plugboard's own refusal is not marked as the upstream's answer (the SDK throws for these).
        using (var own = await engine.GetAsync($"/api/v1/worker/proxy/{missing}/x"))
        {
            Assert.Equal(HttpStatusCode.Conflict, own.StatusCode);
            Assert.False(own.Headers.Contains("Plugboard-Upstream"));
        }
        // No base URL anywhere: a plain connection of an unregistered piece.
        var plain = Api.Unique("plain");
        await _admin.CreateConnectionAsync(projectId, plain);
        (await engine.ApiGetAsync($"/api/v1/worker/proxy/{plain}/x")).AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        // A base the outbound guard refuses: a link-local address nobody allow-listed.
        var key = Api.Unique("meta").ToLowerInvariant();
        (await _admin.ApiPostAsync("/api/v1/connection-definitions", new
        {
            stableKey = key, displayName = "Metadata", pieceName = "@acme/piece-api", type = "SECRET_TEXT", credentials = "CUSTOMER", proxyBaseUrl = "http://169.254.169.254/latest",
        })).AssertStatus(HttpStatusCode.Created);
        (await _admin.ApiPostAsync("/api/v1/app-connections", new { projectId, definition = key, value = new { type = "SECRET_TEXT", secret_text = "s" } }))
            .AssertStatus(HttpStatusCode.Created);
        (await engine.ApiGetAsync($"/api/v1/worker/proxy/{key}/meta-data")).AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        (await engine.ApiGetAsync($"/api/v1/worker/proxy/{Api.Unique("nobody")}/x")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");

        Assert.Equal(before, fixture.Upstream.Received.Count);
    }

    [Fact]
    public async Task BadCallerInput_OversizedBodyOrACredentialThatWouldInjectAHeader_IsRefusedWithNothingSent()
    {
        var (projectId, engine) = await ProjectAsync();
        var key = await ConnectAsync(projectId, "SECRET_TEXT", new { type = "SECRET_TEXT", secret_text = "line\r\nX-Injected: yes" });
        var plain = await ConnectAsync(projectId, "SECRET_TEXT", new { type = "SECRET_TEXT", secret_text = "fine" });
        var before = fixture.Upstream.Received.Count;

        (await engine.ApiGetAsync($"/api/v1/worker/proxy/{key}/x")).AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        using var huge = new ByteArrayContent(new byte[2 * 1024 * 1024]);
        huge.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        using var tooLarge = await engine.PostAsync($"/api/v1/worker/proxy/{plain}/upload", huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);

        Assert.Equal(before, fixture.Upstream.Received.Count);
        // A body that is not JSON passes as it is.
        using var text = await engine.PostAsync($"/api/v1/worker/proxy/{plain}/notes", new StringContent("plain text, not JSON", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.OK, text.StatusCode);
        Assert.Equal("plain text, not JSON", LastTo("/v1/notes").Body);
    }

    [Fact]
    public async Task TestRunEngineToken_CallsWithTheDefinitionsTestCredential_WhileAProductionTokenCallsWithTheCustomers()
    {
        var (projectId, engine) = await ProjectAsync();
        var key = await ConnectAsync(projectId, "SECRET_TEXT", new { type = "SECRET_TEXT", secret_text = "production-secret" });
        (await _admin.ApiPostAsync($"/api/v1/connection-definitions/{key}/test-value", new { value = new { type = "SECRET_TEXT", secret_text = "test-secret" } }))
            .AssertStatus(HttpStatusCode.OK);
        var testRun = fixture.App.Client((await _admin.ApiPostAsync("/api/v1/engine-tokens", new { projectId, testRun = true }))
            .AssertStatus(HttpStatusCode.OK).Str("token"));
        var path = $"/v1/which/{Guid.NewGuid():N}";

        (await testRun.ApiGetAsync($"/api/v1/worker/proxy/{key}/{path[4..]}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("Bearer test-secret", LastTo(path).Headers["Authorization"]);
        (await engine.ApiGetAsync($"/api/v1/worker/proxy/{key}/{path[4..]}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("Bearer production-secret", LastTo(path).Headers["Authorization"]);
        (await testRun.ApiGetAsync($"/api/v1/worker/proxy/{key}/{path[4..]}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("Bearer test-secret", LastTo(path).Headers["Authorization"]);
    }

    [Fact]
    public async Task EveryCall_IsAuditedWithMethodHostPathAndStatus_NeverTheCredential()
    {
        var (projectId, engine) = await ProjectAsync();
        var key = await ConnectAsync(projectId, "SECRET_TEXT", new { type = "SECRET_TEXT", secret_text = "audit-canary-secret" });
        for (var i = 0; i < 3; i++)
        {
            (await engine.ApiGetAsync($"/api/v1/worker/proxy/{key}/audited")).AssertStatus(HttpStatusCode.OK);
        }
        await fixture.App.FlushReadAuditAsync();

        var rows = await fixture.App.WithDbAsync(db => db.AuditEvents.AsNoTracking().Where(e => e.Action == "connection.proxied" && e.ProjectId == projectId)
            .Select(e => e.Details).ToListAsync());
        var details = Assert.Single(rows);
        Assert.Contains("\"path\":\"/v1/audited\"", details, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"calls\":3", details, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("audit-canary-secret", details, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.App.Logs.Lines, l => l.Contains("audit-canary-secret", StringComparison.Ordinal));
    }
}

/// The OAuth fixture (a fake provider, the outbound allow-list on 127.0.0.1) plus the fake API the proxy calls.
public abstract class ProxyFixture(DatabaseEngine engine) : OAuthFixture(engine)
{
    public FakeUpstream Upstream { get; private set; } = null!;

    protected override async ValueTask StartedAsync()
    {
        await base.StartedAsync();
        Upstream = await FakeUpstream.StartAsync();
    }

    protected override async ValueTask StoppedAsync()
    {
        if (Upstream is not null)
        {
            await Upstream.DisposeAsync();
        }
        await base.StoppedAsync();
    }
}

public sealed class SqliteProxyFixture() : ProxyFixture(DatabaseEngine.Sqlite);

public sealed class PostgresProxyFixture() : ProxyFixture(DatabaseEngine.Postgres);

public sealed class ProxySqliteTests(SqliteProxyFixture fixture) : ProxyTests(fixture), IClassFixture<SqliteProxyFixture>;

public sealed class ProxyPostgresTests(PostgresProxyFixture fixture) : ProxyTests(fixture), IClassFixture<PostgresProxyFixture>;
