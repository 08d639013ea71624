using System.Net;
using System.Security.Cryptography;
using System.Text;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Testing.FakeOAuth;

namespace Plugboard.Server.Tests.OAuth;

/// Code exchange on upsert ("claim"), for OAUTH2 and PLATFORM_OAUTH2, against the fake provider.
public abstract class OAuthClaimTests(OAuthFixture fixture)
{
    private const string Redirect = "https://app.example.com/callback";
    private readonly HttpClient _admin = fixture.App.Client();

    private static object Upsert(string projectId, object value, string type = "OAUTH2", string pieceName = "@acme/piece-crm") => new
    {
        projectId, externalId = Api.Unique("oauth"), displayName = "CRM", pieceName, type, value,
    };

    [Theory]
    [InlineData("BODY")]
    [InlineData("HEADER")]
    public async Task Upsert_AuthorizationCode_ExchangesTheCodeWithTheChosenClientAuth(string method)
    {
        var projectId = await _admin.CreateProjectAsync();
        var (clientId, secret) = fixture.NewClient();
        var code = fixture.Provider.IssueCode(clientId, Redirect);

        var response = (await _admin.ApiPostAsync("/api/v1/app-connections", Upsert(projectId, new
        {
            type = "OAUTH2", client_id = clientId, client_secret = secret, code, redirect_url = Redirect,
            token_url = fixture.Provider.TokenUrl, authorization_method = method, scope = "read",
        }))).AssertStatus(HttpStatusCode.Created);

        Assert.Equal("ACTIVE", response.Str("status"));
        var call = Assert.Single(fixture.Provider.Calls, c => c.ClientId == clientId);
        Assert.Equal("authorization_code", call.GrantType);
        Assert.Equal(200, call.Status);
        Assert.Equal(method == "HEADER" ? "Basic" : null, call.AuthorizationHeaderScheme);
        Assert.Equal(method == "BODY", call.Form.ContainsKey("client_secret"));
        Assert.Equal(Redirect, call.Form["redirect_uri"]);

        var stored = await fixture.StoredValueAsync(response.Str("id"));
        Assert.StartsWith("at_", stored["access_token"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("rt_", stored["refresh_token"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(stored["code"]);
        Assert.Equal(fixture.Time.UnixSeconds, stored["claimed_at"]!.GetValue<long>(), tolerance: 2);
        Assert.Equal("authorization_code", stored["grant_type"]!.GetValue<string>());

        var expiresAt = response.Body.GetProperty("expiresAt").GetDateTime();
        var nextRefreshAt = response.Body.GetProperty("nextRefreshAt").GetDateTime();
        Assert.InRange((expiresAt - fixture.Time.GetUtcNow().UtcDateTime).TotalSeconds, 3590, 3610);
        Assert.Equal(TimeSpan.FromMinutes(15), expiresAt - nextRefreshAt);
        Assert.DoesNotContain("at_", response.Raw, StringComparison.Ordinal);
        Assert.DoesNotContain("rt_", response.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upsert_PkceVerifier_IsSentAndChecked()
    {
        var projectId = await _admin.CreateProjectAsync();
        var (clientId, secret) = fixture.NewClient();
        var verifier = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var code = fixture.Provider.IssueCode(clientId, Redirect, challenge, "S256");
        object Value(string v) => new { type = "OAUTH2", client_id = clientId, client_secret = secret, code, redirect_url = Redirect, token_url = fixture.Provider.TokenUrl, code_challenge = v };

        var wrong = (await _admin.ApiPostAsync("/api/v1/app-connections", Upsert(projectId, Value("not-the-verifier"))))
            .AssertError(HttpStatusCode.BadRequest, "INVALID_CLAIM");
        Assert.Equal("invalid_grant", wrong.Body.GetProperty("params").GetProperty("error").GetString());
        Assert.Equal(clientId, wrong.Body.GetProperty("params").GetProperty("clientId").GetString());

        var right = (await _admin.ApiPostAsync("/api/v1/app-connections", Upsert(projectId, Value(verifier)))).AssertStatus(HttpStatusCode.Created);
        Assert.True(fixture.Provider.Calls.Last(c => c.ClientId == clientId).Form.ContainsKey("code_verifier"));
        Assert.Null((await fixture.StoredValueAsync(right.Str("id")))["code_challenge"]);
    }

    [Fact]
    public async Task Upsert_ClientCredentials_MintsATokenSendingScopeAndProps()
    {
        var projectId = await _admin.CreateProjectAsync();
        var (clientId, secret) = fixture.NewClient();

        var response = (await _admin.ApiPostAsync("/api/v1/app-connections", Upsert(projectId, new
        {
            type = "OAUTH2", client_id = clientId, client_secret = secret, grant_type = "client_credentials", code = "FAKE_CODE",
            token_url = fixture.Provider.TokenUrl, scope = "api:{audience}", props = new { audience = "billing" },
        }))).AssertStatus(HttpStatusCode.Created);

        var call = Assert.Single(fixture.Provider.Calls, c => c.ClientId == clientId);
        Assert.Equal("client_credentials", call.GrantType);
        Assert.Equal("api:billing", call.Form["scope"]);
        Assert.Equal("billing", call.Form["audience"]);
        var stored = await fixture.StoredValueAsync(response.Str("id"));
        Assert.Null(stored["refresh_token"]);
        Assert.Equal("client_credentials", stored["grant_type"]!.GetValue<string>());
        Assert.NotNull(response.Body.GetProperty("nextRefreshAt").GetString());
    }

    [Fact]
    public async Task Upsert_ProviderRefusesOrFails_Is400InvalidClaimWithoutTheRawBody()
    {
        var projectId = await _admin.CreateProjectAsync();
        var (clientId, secret) = fixture.NewClient();
        object Value(string code) => new { type = "OAUTH2", client_id = clientId, client_secret = secret, code, redirect_url = Redirect, token_url = fixture.Provider.TokenUrl };

        var unknownCode = (await _admin.ApiPostAsync("/api/v1/app-connections", Upsert(projectId, Value("no-such-code"))))
            .AssertError(HttpStatusCode.BadRequest, "INVALID_CLAIM");
        Assert.Equal("invalid_grant", unknownCode.Body.GetProperty("params").GetProperty("error").GetString());

        fixture.Provider.FailNext(1, FakeFailure.HtmlErrorPage);
        var html = (await _admin.ApiPostAsync("/api/v1/app-connections", Upsert(projectId, Value(fixture.Provider.IssueCode(clientId, Redirect)))))
            .AssertError(HttpStatusCode.BadRequest, "INVALID_CLAIM");
        Assert.DoesNotContain("<html>", html.Raw, StringComparison.OrdinalIgnoreCase);

        fixture.Provider.FailNext(1, FakeFailure.ServerError);
        (await _admin.ApiPostAsync("/api/v1/app-connections", Upsert(projectId, Value(fixture.Provider.IssueCode(clientId, Redirect)))))
            .AssertError(HttpStatusCode.BadRequest, "INVALID_CLAIM");

        var badSecret = new { type = "OAUTH2", client_id = clientId, client_secret = "wrong", code = fixture.Provider.IssueCode(clientId, Redirect), redirect_url = Redirect, token_url = fixture.Provider.TokenUrl };
        var refused = (await _admin.ApiPostAsync("/api/v1/app-connections", Upsert(projectId, badSecret))).AssertError(HttpStatusCode.BadRequest, "INVALID_CLAIM");
        Assert.Equal("invalid_client", refused.Body.GetProperty("params").GetProperty("error").GetString());
        Assert.DoesNotContain("wrong", refused.Raw, StringComparison.Ordinal);

        var list = (await _admin.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Empty(list.Body.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Upsert_PlatformOAuth2_UsesTheRegisteredAppSecretAndNeverStoresIt()
    {
        var projectId = await _admin.CreateProjectAsync();
        var (clientId, secret) = fixture.NewClient();
        var pieceName = $"@acme/piece-{Guid.NewGuid():N}";
        object Value() => new { type = "PLATFORM_OAUTH2", client_id = clientId, code = fixture.Provider.IssueCode(clientId, Redirect), redirect_url = Redirect, token_url = fixture.Provider.TokenUrl };

        (await _admin.ApiPostAsync("/api/v1/app-connections", Upsert(projectId, Value(), "PLATFORM_OAUTH2", pieceName))).AssertValidation("value.client_id");

        var app = (await _admin.ApiPostAsync("/api/v1/oauth-apps", new { pieceName, clientId, clientSecret = secret })).AssertStatus(HttpStatusCode.OK);
        Assert.DoesNotContain(secret, app.Raw, StringComparison.Ordinal);
        var apps = (await _admin.ApiGetAsync($"/api/v1/oauth-apps?pieceName={Uri.EscapeDataString(pieceName)}")).AssertStatus(HttpStatusCode.OK);
        Assert.Single(apps.Body.GetProperty("data").EnumerateArray());
        Assert.DoesNotContain(secret, apps.Raw, StringComparison.Ordinal);

        var created = (await _admin.ApiPostAsync("/api/v1/app-connections", Upsert(projectId, Value(), "PLATFORM_OAUTH2", pieceName))).AssertStatus(HttpStatusCode.Created);
        Assert.Equal("PLATFORM_OAUTH2", created.Str("type"));
        var stored = await fixture.StoredValueAsync(created.Str("id"));
        Assert.Null(stored["client_secret"]);
        Assert.DoesNotContain(secret, stored.ToJsonString(), StringComparison.Ordinal);

        // Refresh looks the secret up again: forced, it works with no secret in the value.
        fixture.Time.Advance(TimeSpan.FromMinutes(50));
        var refreshed = (await _admin.ApiPostAsync($"/api/v1/app-connections/{created.Str("id")}/refresh", new { })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("ACTIVE", refreshed.Str("status"));
        Assert.Equal(1, fixture.Calls(clientId, "refresh_token"));

        (await _admin.ApiDeleteAsync($"/api/v1/oauth-apps/{app.Str("id")}")).AssertStatus(HttpStatusCode.NoContent);
        (await _admin.ApiDeleteAsync($"/api/v1/oauth-apps/{app.Str("id")}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
    }

    [Fact]
    public async Task Upsert_CloudOAuth2_AcceptsPreClaimedTokensOnly()
    {
        var projectId = await _admin.CreateProjectAsync();
        (await _admin.ApiPostAsync("/api/v1/app-connections", Upsert(projectId, new { type = "CLOUD_OAUTH2", client_id = "c", code = "abc", scope = "read" }, "CLOUD_OAUTH2")))
            .AssertValidation("value.access_token");
        var created = (await _admin.ApiPostAsync("/api/v1/app-connections", Upsert(projectId,
            new { type = "CLOUD_OAUTH2", client_id = "c", access_token = "at-cloud", refresh_token = "rt-cloud", expires_in = 3600, scope = "read" }, "CLOUD_OAUTH2")))
            .AssertStatus(HttpStatusCode.Created);
        Assert.Equal("ACTIVE", created.Str("status"));
        Assert.DoesNotContain(fixture.Provider.Calls, c => c.ClientId == "c");
    }

    [Fact]
    public async Task Upsert_PlatformProviderEntry_SuppliesTheTokenUrlWithPropsFilledIn()
    {
        var projectId = await _admin.CreateProjectAsync();
        var (clientId, secret) = fixture.NewClient();
        var name = $"acme-{Guid.NewGuid():N}"[..20];
        var pieceName = $"@acme/piece-{name}";
        var port = new Uri(fixture.Provider.BaseUrl).Port;
        (await _admin.ApiPostAsync("/api/v1/oauth-providers", new
        {
            name, authorizeUrl = $"http://{{host}}:{port}/authorize", tokenUrl = $"http://{{host}}:{port}/token",
            scopes = new[] { "crm.read" }, clientAuthMethod = "HEADER", pieces = new[] { pieceName }, defaultTokenLifetimeSeconds = 7200,
        })).AssertStatus(HttpStatusCode.OK);
        var providers = (await _admin.ApiGetAsync("/api/v1/oauth-providers")).AssertStatus(HttpStatusCode.OK);
        Assert.Contains(providers.Body.EnumerateArray(), p => p.GetProperty("provider").GetProperty("name").GetString() == name && p.GetProperty("source").GetString() == "PLATFORM");
        foreach (var builtIn in new[] { "google", "microsoft", "slack", "github", "salesforce", "hubspot", "zoom", "generic" })
        {
            Assert.Contains(providers.Body.EnumerateArray(), p => p.GetProperty("provider").GetProperty("name").GetString() == builtIn);
        }

        object Value(string host) => new { type = "OAUTH2", client_id = clientId, client_secret = secret, code = fixture.Provider.IssueCode(clientId, Redirect), redirect_url = Redirect, props = new { host } };
        (await _admin.ApiPostAsync("/api/v1/app-connections", Upsert(projectId, Value("evil.com#"), pieceName: pieceName))).AssertValidation("value.props");
        var created = (await _admin.ApiPostAsync("/api/v1/app-connections", Upsert(projectId, Value("127.0.0.1"), pieceName: pieceName))).AssertStatus(HttpStatusCode.Created);

        Assert.Equal("Basic", fixture.Provider.Calls.Last(c => c.ClientId == clientId).AuthorizationHeaderScheme);
        Assert.Equal(fixture.Provider.TokenUrl, (await fixture.StoredValueAsync(created.Str("id")))["token_url"]!.GetValue<string>());

        (await _admin.ApiDeleteAsync($"/api/v1/oauth-providers/{name}")).AssertStatus(HttpStatusCode.NoContent);
        (await _admin.ApiDeleteAsync("/api/v1/oauth-providers/google")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
    }

    [Fact]
    public async Task OAuthApps_ProjectKey_IsForbidden()
    {
        var projectId = await _admin.CreateProjectAsync();
        var key = (await _admin.ApiPostAsync("/api/v1/api-keys", new { displayName = "project", projectId })).AssertStatus(HttpStatusCode.Created).Str("value");
        var project = fixture.App.Client(key);
        (await project.ApiGetAsync("/api/v1/oauth-apps")).AssertError(HttpStatusCode.Forbidden, "AUTHORIZATION");
        (await project.ApiPostAsync("/api/v1/oauth-apps", new { pieceName = "p", clientId = "c", clientSecret = "s" })).AssertError(HttpStatusCode.Forbidden, "AUTHORIZATION");
        (await project.ApiPostAsync("/api/v1/oauth-providers", new { name = "x" })).AssertError(HttpStatusCode.Forbidden, "AUTHORIZATION");
    }
}

public sealed class OAuthClaimSqliteTests(SqliteOAuthFixture fixture) : OAuthClaimTests(fixture), IClassFixture<SqliteOAuthFixture>;

public sealed class OAuthClaimPostgresTests(PostgresOAuthFixture fixture) : OAuthClaimTests(fixture), IClassFixture<PostgresOAuthFixture>;
