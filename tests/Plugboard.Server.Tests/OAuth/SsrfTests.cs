using System.Net;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Testing.FakeOAuth;

namespace Plugboard.Server.Tests.OAuth;

/// Every server-side call to a token URL refuses loopback, private, link-local and metadata addresses,
/// on claim and on refresh, when nothing is allow-listed (the default). The provider is really there on
/// 127.0.0.1: it must never be called.
public abstract class SsrfTests(AppFixture fixture) : IAsyncLifetime
{
    private readonly HttpClient _admin = fixture.App.Client();
    private FakeOAuthProvider _provider = null!;

    public async ValueTask InitializeAsync() => _provider = await FakeOAuthProvider.StartAsync();

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();

    private int Port => new Uri(_provider.BaseUrl).Port;

    private object Claim(string projectId, string tokenUrl) => new
    {
        projectId, externalId = Api.Unique("ssrf"), displayName = "CRM", pieceName = "@acme/piece-crm", type = "OAUTH2",
        value = new { type = "OAUTH2", client_id = "c", client_secret = "s", code = "code", redirect_url = "https://app/cb", token_url = tokenUrl },
    };

    [Theory]
    [InlineData("http://127.0.0.1:{port}/token")]
    [InlineData("https://127.0.0.1:{port}/token")]
    [InlineData("https://10.0.0.1/token")]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/security-credentials/")]
    [InlineData("https://[::1]:{port}/token")]
    [InlineData("https://[::ffff:127.0.0.1]:{port}/token")]
    [InlineData("https://2130706433:{port}/token")]
    public async Task Claim_TokenUrlOnAForbiddenAddress_Is400AndNothingIsCalled(string template)
    {
        var projectId = await _admin.CreateProjectAsync();
        var url = template.Replace("{port}", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        (await _admin.ApiPostAsync("/api/v1/app-connections", Claim(projectId, url))).AssertValidation("value.token_url");

        Assert.Equal(0, _provider.TokenCalls);
    }

    [Fact]
    public async Task Claim_HostNameResolvingToLoopback_IsRefusedAtConnectTime()
    {
        var projectId = await _admin.CreateProjectAsync();

        var response = (await _admin.ApiPostAsync("/api/v1/app-connections", Claim(projectId, $"https://localhost:{Port}/token")))
            .AssertError(HttpStatusCode.BadRequest, "INVALID_CLAIM");

        Assert.Equal("token_url_refused", response.Body.GetProperty("params").GetProperty("error").GetString());
        Assert.Equal(0, _provider.TokenCalls);
    }

    [Fact]
    public async Task Refresh_StoredTokenUrlResolvingToLoopback_IsRefusedEveryTimeAndMarksError()
    {
        var projectId = await _admin.CreateProjectAsync();
        _provider.AddClient("c", "s");
        var tokens = _provider.IssueTokens("c");
        var id = (await _admin.ApiPostAsync("/api/v1/app-connections", new
        {
            projectId, externalId = Api.Unique("ssrf"), displayName = "CRM", pieceName = "@acme/piece-crm", type = "OAUTH2",
            value = new
            {
                type = "OAUTH2", access_token = tokens.AccessToken, refresh_token = tokens.RefreshToken, expires_in = 3600,
                claimed_at = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3500, client_id = "c", client_secret = "s",
                token_url = $"https://localhost:{Port}/token",
            },
        })).AssertStatus(HttpStatusCode.Created).Str("id");

        var refreshed = (await _admin.ApiPostAsync($"/api/v1/app-connections/{id}/refresh", new { })).AssertStatus(HttpStatusCode.OK);

        Assert.Equal("ERROR", refreshed.Str("status"));
        Assert.Contains("token_url_refused", refreshed.Str("statusReason"), StringComparison.Ordinal);
        Assert.Equal(0, _provider.TokenCalls);
    }

    [Theory]
    [InlineData("http://10.0.0.1/token")]
    [InlineData("https://169.254.169.254/token")]
    public async Task PreClaimedTokens_WithAForbiddenTokenUrl_Are400(string url)
    {
        var projectId = await _admin.CreateProjectAsync();
        (await _admin.ApiPostAsync("/api/v1/app-connections", new
        {
            projectId, externalId = Api.Unique("ssrf"), displayName = "CRM", pieceName = "@acme/piece-crm", type = "OAUTH2",
            value = new { type = "OAUTH2", access_token = "a", refresh_token = "r", client_id = "c", token_url = url },
        })).AssertValidation("value.token_url");
    }

    [Fact]
    public async Task PlatformProvider_WithAForbiddenTokenUrl_Is400()
    {
        (await _admin.ApiPostAsync("/api/v1/oauth-providers", new { name = "metadata", tokenUrl = "http://169.254.169.254/token" }))
            .AssertValidation("tokenUrl");
    }
}

public sealed class SsrfSqliteTests(SqliteFixture fixture) : SsrfTests(fixture), IClassFixture<SqliteFixture>;

public sealed class SsrfPostgresTests(PostgresFixture fixture) : SsrfTests(fixture), IClassFixture<PostgresFixture>;
