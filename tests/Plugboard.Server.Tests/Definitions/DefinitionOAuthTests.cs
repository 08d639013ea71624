using System.Net;
using Plugboard.Server.Tests.Engine;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Server.Tests.OAuth;

namespace Plugboard.Server.Tests.Definitions;

/// An OAuth2 definition whose client id and secret are global values, against the fake provider: the customer sends
/// only the code, the claim and every refresh use the inherited client, and a rotated client secret is used by the next
/// refresh of every connection with no row rewritten.
public abstract class DefinitionOAuthTests(OAuthFixture fixture)
{
    private const string Redirect = "https://app.example.com/callback";
    private readonly HttpClient _admin = fixture.App.Client();

    [Fact]
    public async Task CustomerOAuth_CodeOnly_ClaimedWithTheInheritedClientAndRefreshedWithItsRotatedSecret()
    {
        var (clientId, secret) = fixture.NewClient();
        var key = Api.Unique("oauth").ToLowerInvariant();
        var definitionId = (await _admin.ApiPostAsync("/api/v1/connection-definitions", new
        {
            stableKey = key, displayName = "CRM (OAuth)", pieceName = "@acme/piece-crm", type = "OAUTH2", credentials = "CUSTOMER",
            globalValues = new { client_id = clientId, client_secret = secret, token_url = fixture.Provider.TokenUrl, scope = "read" },
        })).AssertStatus(HttpStatusCode.Created).Str("id");
        var projects = new[] { await _admin.CreateProjectAsync(), await _admin.CreateProjectAsync() };
        var ids = new List<string>();
        foreach (var projectId in projects)
        {
            var code = fixture.Provider.IssueCode(clientId, Redirect);
            var created = (await _admin.ApiPostAsync("/api/v1/app-connections", new
            {
                projectId, definition = key, value = new { type = "OAUTH2", code, redirect_url = Redirect },
            })).AssertStatus(HttpStatusCode.Created);
            Assert.Equal("ACTIVE", created.Str("status"));
            ids.Add(created.Str("id"));
        }
        Assert.Equal(2, fixture.Calls(clientId, "authorization_code"));
        foreach (var id in ids)
        {
            var stored = await fixture.StoredValueAsync(id);
            Assert.Null(stored["client_secret"]);
            Assert.Null(stored["client_id"]);
            Assert.NotNull(stored["refresh_token"]);
        }
        var read = (await fixture.App.Client(await _admin.EngineTokenAsync(projects[0])).ReadConnectionAsync(key)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(clientId, read.Body.GetProperty("value").GetProperty("client_id").GetString());
        Assert.Equal("(REDACTED)", read.Body.GetProperty("value").GetProperty("client_secret").GetString());

        // The provider now takes only the new secret; the definition is told once, and no connection row changes for it.
        var rotated = $"cs-rotated-{Guid.NewGuid():N}";
        fixture.Provider.AddClient(clientId, rotated);
        var versions = new List<long>();
        foreach (var id in ids)
        {
            versions.Add((await fixture.RowAsync(id)).Version);
        }
        (await _admin.ApiPostAsync($"/api/v1/connection-definitions/{definitionId}", new { globalValues = new { client_secret = rotated } })).AssertStatus(HttpStatusCode.OK);
        for (var i = 0; i < ids.Count; i++)
        {
            Assert.Equal(versions[i], (await fixture.RowAsync(ids[i])).Version);
        }

        foreach (var id in ids)
        {
            var refreshed = (await _admin.ApiPostAsync($"/api/v1/app-connections/{id}/refresh?force=true", new { })).AssertStatus(HttpStatusCode.OK);
            Assert.Equal("ACTIVE", refreshed.Str("status"));
            Assert.Null((await fixture.StoredValueAsync(id))["client_secret"]);
        }
        var refreshes = fixture.Provider.Calls.Where(c => c.ClientId == clientId && c.GrantType == "refresh_token").ToList();
        Assert.Equal(2, refreshes.Count);
        Assert.All(refreshes, c => Assert.Equal(200, c.Status));
    }

    [Fact]
    public async Task CustomerOAuth_ClientSecretWrongAtTheProvider_ClaimIs400AndNothingIsStored()
    {
        var (clientId, _) = fixture.NewClient();
        var key = Api.Unique("oauthbad").ToLowerInvariant();
        (await _admin.ApiPostAsync("/api/v1/connection-definitions", new
        {
            stableKey = key, displayName = "CRM", pieceName = "@acme/piece-crm", type = "OAUTH2", credentials = "CUSTOMER",
            globalValues = new { client_id = clientId, client_secret = "not-the-secret", token_url = fixture.Provider.TokenUrl },
        })).AssertStatus(HttpStatusCode.Created);
        var projectId = await _admin.CreateProjectAsync();

        var refused = (await _admin.ApiPostAsync("/api/v1/app-connections", new
        {
            projectId, definition = key, value = new { type = "OAUTH2", code = fixture.Provider.IssueCode(clientId, Redirect), redirect_url = Redirect },
        })).AssertError(HttpStatusCode.BadRequest, "INVALID_CLAIM");

        Assert.DoesNotContain("not-the-secret", refused.Raw, StringComparison.Ordinal);
        (await _admin.ApiPostAsync("/api/v1/app-connections", new
        {
            projectId, definition = key, value = new { type = "OAUTH2", client_secret = "mine", code = "c", redirect_url = Redirect },
        })).AssertValidation("value.client_secret");
        var list = (await _admin.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Empty(list.Body.GetProperty("data").EnumerateArray());
    }
}

public sealed class DefinitionOAuthSqliteTests(SqliteOAuthFixture fixture) : DefinitionOAuthTests(fixture), IClassFixture<SqliteOAuthFixture>;

public sealed class DefinitionOAuthPostgresTests(PostgresOAuthFixture fixture) : DefinitionOAuthTests(fixture), IClassFixture<PostgresOAuthFixture>;
