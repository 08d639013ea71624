using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.OAuth;

/// POST /api/v1/app-connections/oauth2/authorization-url: the provider's consent URL from the catalogue,
/// PKCE S256 by default, and the verifier that completes the claim.
public abstract class AuthorizationUrlTests(OAuthFixture fixture)
{
    private const string Redirect = "https://app.example.com/callback";
    private readonly HttpClient _admin = fixture.App.Client();

    private async Task<(Uri Url, Dictionary<string, string> Query, ApiResponse Response)> BuildAsync(object body)
    {
        var response = (await _admin.ApiPostAsync("/api/v1/app-connections/oauth2/authorization-url", body)).AssertStatus(HttpStatusCode.OK);
        var url = new Uri(response.Str("authorizationUrl"));
        var query = QueryHelpers.ParseQuery(url.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
        return (url, query, response);
    }

    private static string S256(string verifier) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [Fact]
    public async Task Build_Google_UsesTheCatalogueWithOfflineAccessAndPkceS256()
    {
        var (url, query, response) = await BuildAsync(new { pieceName = "@activepieces/piece-gmail", clientId = "google-client", redirectUrl = Redirect });

        Assert.Equal("accounts.google.com", url.Host);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("google-client", query["client_id"]);
        Assert.Equal(Redirect, query["redirect_uri"]);
        Assert.Equal("offline", query["access_type"]);
        Assert.Equal("consent", query["prompt"]);
        Assert.Equal("openid email profile", query["scope"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        var verifier = response.Str("codeVerifier");
        Assert.Equal(43, verifier.Length);
        Assert.Equal(S256(verifier), query["code_challenge"]);
        Assert.Equal(response.Str("state"), query["state"]);
        Assert.True(query["state"].Length >= 32);
    }

    [Fact]
    public async Task Build_ProviderQuirks_ComeFromTheCatalogue()
    {
        var (slack, slackQuery, slackResponse) = await BuildAsync(new { pieceName = "@activepieces/piece-slack", clientId = "s", redirectUrl = Redirect, scopes = new[] { "chat:write", "users:read" } });
        Assert.Equal("slack.com", slack.Host);
        Assert.Equal("chat:write,users:read", slackQuery["scope"]);
        Assert.False(slackQuery.ContainsKey("prompt"));
        Assert.False(slackQuery.ContainsKey("code_challenge"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, slackResponse.Body.GetProperty("codeVerifier").ValueKind);

        var (microsoft, _, _) = await BuildAsync(new { pieceName = "@activepieces/piece-microsoft-outlook", clientId = "m", redirectUrl = Redirect });
        Assert.Equal("/common/oauth2/v2.0/authorize", microsoft.AbsolutePath);
        var (tenant, _, _) = await BuildAsync(new { pieceName = "x", provider = "microsoft", clientId = "m", redirectUrl = Redirect, props = new Dictionary<string, string> { ["tenant"] = "contoso.onmicrosoft.com" } });
        Assert.Equal("/contoso.onmicrosoft.com/oauth2/v2.0/authorize", tenant.AbsolutePath);
        var (salesforce, _, _) = await BuildAsync(new { pieceName = "@activepieces/piece-salesforce", clientId = "sf", redirectUrl = Redirect, props = new Dictionary<string, string> { ["environment"] = "test" } });
        Assert.Equal("test.salesforce.com", salesforce.Host);

        (await _admin.ApiPostAsync("/api/v1/app-connections/oauth2/authorization-url", new { pieceName = "@unknown/piece", clientId = "c", redirectUrl = Redirect }))
            .AssertValidation("authorizeUrl");
        (await _admin.ApiPostAsync("/api/v1/app-connections/oauth2/authorization-url", new { pieceName = "x", provider = "nope", clientId = "c", redirectUrl = Redirect }))
            .AssertValidation("provider");
        (await _admin.ApiPostAsync("/api/v1/app-connections/oauth2/authorization-url", new { pieceName = "x", redirectUrl = Redirect }))
            .AssertValidation("clientId");
    }

    [Fact]
    public async Task Build_ThenConsentThenUpsert_ClaimsWithTheReturnedVerifier()
    {
        var projectId = await _admin.CreateProjectAsync();
        var (clientId, secret) = fixture.NewClient();
        var (_, query, response) = await BuildAsync(new
        {
            pieceName = "@acme/piece-crm", provider = "generic", authorizeUrl = fixture.Provider.AuthorizeUrl, clientId, redirectUrl = Redirect,
            scopes = new[] { "crm.read" }, projectId,
        });
        Assert.Equal("S256", query["code_challenge_method"]);

        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var consent = await browser.GetAsync(response.Str("authorizationUrl"));
        Assert.Equal(HttpStatusCode.Redirect, consent.StatusCode);
        var back = QueryHelpers.ParseQuery(consent.Headers.Location!.Query);
        Assert.Equal(response.Str("state"), back["state"].ToString());

        var created = (await _admin.ApiPostAsync("/api/v1/app-connections", new
        {
            projectId, externalId = Api.Unique("crm"), displayName = "CRM", pieceName = "@acme/piece-crm", type = "OAUTH2",
            value = new
            {
                type = "OAUTH2", client_id = clientId, client_secret = secret, code = back["code"].ToString(), redirect_url = Redirect,
                code_challenge = response.Str("codeVerifier"), token_url = fixture.Provider.TokenUrl, scope = "crm.read",
            },
        })).AssertStatus(HttpStatusCode.Created);
        Assert.Equal("ACTIVE", created.Str("status"));
        Assert.Equal(1, fixture.Calls(clientId, "authorization_code"));
    }
}

public sealed class AuthorizationUrlSqliteTests(SqliteOAuthFixture fixture) : AuthorizationUrlTests(fixture), IClassFixture<SqliteOAuthFixture>;

public sealed class AuthorizationUrlPostgresTests(PostgresOAuthFixture fixture) : AuthorizationUrlTests(fixture), IClassFixture<PostgresOAuthFixture>;
