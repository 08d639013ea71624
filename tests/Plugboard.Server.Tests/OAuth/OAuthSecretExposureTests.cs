using System.Net;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Audit;
using Plugboard.Server.Connections;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Testing.FakeOAuth;

namespace Plugboard.Server.Tests.OAuth;

/// Tokens and client secrets pass through claims, refreshes and failures: none may surface in a
/// response, a log line (Debug included), an audit row or a status reason.
public abstract class OAuthSecretExposureTests(OAuthFixture fixture)
{
    private const string Redirect = "https://app.example.com/callback";
    private readonly HttpClient _admin = fixture.App.Client();

    [Fact]
    public async Task ClaimRefreshAndFailures_NeverEchoATokenOrSecret()
    {
        var secrets = new List<string>();
        var projectId = await _admin.CreateProjectAsync();
        var (clientId, clientSecret) = fixture.NewClient();
        secrets.Add(clientSecret);

        // Claim, refresh, transient failure, permanent failure.
        var code = fixture.Provider.IssueCode(clientId, Redirect);
        secrets.Add(code);
        var id = (await _admin.ApiPostAsync("/api/v1/app-connections", new
        {
            projectId, externalId = Api.Unique("x"), displayName = "CRM", pieceName = "@acme/piece-crm", type = "OAUTH2",
            value = new { type = "OAUTH2", client_id = clientId, client_secret = clientSecret, code, redirect_url = Redirect, token_url = fixture.Provider.TokenUrl },
        })).AssertStatus(HttpStatusCode.Created).Str("id");
        await CollectAsync(id, secrets);
        fixture.Time.Advance(TimeSpan.FromMinutes(50));
        (await _admin.ApiPostAsync($"/api/v1/app-connections/{id}/refresh", new { })).AssertStatus(HttpStatusCode.OK);
        await CollectAsync(id, secrets);
        fixture.Provider.FailNext(1, FakeFailure.ServerError);
        (await _admin.ApiPostAsync($"/api/v1/app-connections/{id}/refresh?force=true", new { })).AssertStatus(HttpStatusCode.OK);
        fixture.Time.Advance(TimeSpan.FromMinutes(5));
        fixture.Provider.FailNext(1, FakeFailure.InvalidGrant);
        Assert.Equal("ERROR", (await _admin.ApiPostAsync($"/api/v1/app-connections/{id}/refresh?force=true", new { })).AssertStatus(HttpStatusCode.OK).Str("status"));

        // A rejected claim that carries a secret, and a platform OAuth app secret.
        var wrongSecret = $"wrong-{Guid.NewGuid():N}";
        secrets.Add(wrongSecret);
        (await _admin.ApiPostAsync("/api/v1/app-connections", new
        {
            projectId, externalId = Api.Unique("x"), displayName = "CRM", pieceName = "@acme/piece-crm", type = "OAUTH2",
            value = new { type = "OAUTH2", client_id = clientId, client_secret = wrongSecret, code = fixture.Provider.IssueCode(clientId, Redirect), redirect_url = Redirect, token_url = fixture.Provider.TokenUrl },
        })).AssertError(HttpStatusCode.BadRequest, "INVALID_CLAIM");
        var appSecret = $"app-{Guid.NewGuid():N}";
        secrets.Add(appSecret);
        (await _admin.ApiPostAsync("/api/v1/oauth-apps", new { pieceName = "@acme/piece-crm", clientId = Api.Unique("app"), clientSecret = appSecret })).AssertStatus(HttpStatusCode.OK);
        (await _admin.ApiGetAsync("/api/v1/oauth-apps")).AssertStatus(HttpStatusCode.OK);
        (await _admin.ApiGetAsync($"/api/v1/app-connections/{id}")).AssertStatus(HttpStatusCode.OK);

        Assert.True(secrets.Count >= 8);
        var audit = await fixture.App.WithDbAsync(db => db.AuditEvents.AsNoTracking().Select(e => e.Details ?? "").ToListAsync());
        var reasons = await fixture.App.WithDbAsync(db => db.AppConnections.AsNoTracking().Select(c => c.StatusReason ?? "").ToListAsync());
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(fixture.App.ResponseBodies, body => body.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(fixture.App.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(audit, details => details.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(reasons, reason => reason.Contains(secret, StringComparison.Ordinal));
        }
    }

    private async Task CollectAsync(string id, List<string> secrets)
    {
        var stored = await fixture.StoredValueAsync(id);
        secrets.Add(stored["access_token"]!.GetValue<string>());
        secrets.Add(stored["refresh_token"]!.GetValue<string>());
    }
}

public sealed class OAuthSecretExposureSqliteTests(SqliteOAuthFixture fixture) : OAuthSecretExposureTests(fixture), IClassFixture<SqliteOAuthFixture>;

public sealed class OAuthSecretExposurePostgresTests(PostgresOAuthFixture fixture) : OAuthSecretExposureTests(fixture), IClassFixture<PostgresOAuthFixture>;
