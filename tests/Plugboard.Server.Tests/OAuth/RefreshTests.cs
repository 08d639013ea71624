using System.Net;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Testing.FakeOAuth;

namespace Plugboard.Server.Tests.OAuth;

/// Refresh on demand (the admin route, which the engine read will share): before expiry, one at a time,
/// rotated tokens kept, and the failure taxonomy. Time moves by hand; nothing sleeps.
public abstract class RefreshTests(OAuthFixture fixture)
{
    private readonly HttpClient _admin = fixture.App.Client();

    private Task<ApiResponse> RefreshAsync(string id, bool force = false) =>
        _admin.ApiPostAsync($"/api/v1/app-connections/{id}/refresh{(force ? "?force=true" : "")}", new { });

    [Fact]
    public async Task Refresh_NotYetDue_CallsNobody()
    {
        var projectId = await _admin.CreateProjectAsync();
        var (clientId, secret) = fixture.NewClient();
        var id = await fixture.SeedAsync(_admin, projectId, clientId, secret);

        fixture.Time.Advance(TimeSpan.FromMinutes(44));
        var response = (await RefreshAsync(id)).AssertStatus(HttpStatusCode.OK);

        Assert.Equal(0, fixture.Calls(clientId, "refresh_token"));
        Assert.Equal("ACTIVE", response.Str("status"));
    }

    [Fact]
    public async Task Refresh_WithinFifteenMinutesOfExpiry_RotatesAndStoresTheNewTokensFirst()
    {
        var projectId = await _admin.CreateProjectAsync();
        var (clientId, secret) = fixture.NewClient();
        var id = await fixture.SeedAsync(_admin, projectId, clientId, secret);
        var before = await fixture.StoredValueAsync(id);

        fixture.Time.Advance(TimeSpan.FromMinutes(46));
        var response = (await RefreshAsync(id)).AssertStatus(HttpStatusCode.OK);

        Assert.Equal(1, fixture.Calls(clientId, "refresh_token"));
        var call = fixture.Provider.Calls.Single(c => c.ClientId == clientId && c.GrantType == "refresh_token");
        Assert.False(call.Form.ContainsKey("redirect_uri"));
        var after = await fixture.StoredValueAsync(id);
        Assert.NotEqual(before["access_token"]!.GetValue<string>(), after["access_token"]!.GetValue<string>());
        Assert.NotEqual(before["refresh_token"]!.GetValue<string>(), after["refresh_token"]!.GetValue<string>());
        Assert.Equal(fixture.Time.UnixSeconds, after["claimed_at"]!.GetValue<long>(), tolerance: 1);
        Assert.Equal(before["client_secret"]!.GetValue<string>(), after["client_secret"]!.GetValue<string>());
        var expiresAt = response.Body.GetProperty("expiresAt").GetDateTime();
        Assert.InRange((expiresAt - fixture.Time.GetUtcNow().UtcDateTime).TotalMinutes, 59, 61);
        Assert.True(response.Body.GetProperty("statusReason").ValueKind == System.Text.Json.JsonValueKind.Null);

        // What is stored is the provider's current refresh token: a forced refresh with it succeeds.
        (await RefreshAsync(id, force: true)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(2, fixture.Calls(clientId, "refresh_token"));
        Assert.Equal("ACTIVE", (await fixture.RowAsync(id)).Status.ToString().ToUpperInvariant());
    }

    [Fact]
    public async Task Refresh_FiftyConcurrentReadsOfAnExpiringToken_OneProviderCall()
    {
        var projectId = await _admin.CreateProjectAsync();
        var (clientId, secret) = fixture.NewClient();
        var id = await fixture.SeedAsync(_admin, projectId, clientId, secret);
        fixture.Time.Advance(TimeSpan.FromMinutes(50));
        fixture.Provider.ResponseDelay = TimeSpan.FromMilliseconds(200);
        try
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => RefreshAsync(id)));
            Assert.All(responses, r => r.AssertStatus(HttpStatusCode.OK));
            Assert.All(responses, r => Assert.Equal("ACTIVE", r.Str("status")));
        }
        finally
        {
            fixture.Provider.ResponseDelay = TimeSpan.Zero;
        }
        Assert.Equal(1, fixture.Calls(clientId, "refresh_token"));
    }

    [Fact]
    public async Task Refresh_GlobalConnectionReadThroughManyProjects_OneLeaseOneCall()
    {
        var (clientId, secret) = fixture.NewClient();
        var projects = new[] { await _admin.CreateProjectAsync(), await _admin.CreateProjectAsync(), await _admin.CreateProjectAsync() };
        var tokens = fixture.Provider.IssueTokens(clientId);
        var global = (await _admin.ApiPostAsync("/api/v1/global-connections", new
        {
            displayName = "Shared CRM", pieceName = "@acme/piece-crm", type = "OAUTH2", projectIds = projects,
            value = new
            {
                type = "OAUTH2", access_token = tokens.AccessToken, refresh_token = tokens.RefreshToken, expires_in = 3600, claimed_at = fixture.Time.UnixSeconds,
                client_id = clientId, client_secret = secret, token_url = fixture.Provider.TokenUrl,
            },
        })).AssertStatus(HttpStatusCode.Created).Str("id");
        var keys = new List<HttpClient>();
        foreach (var projectId in projects)
        {
            var key = (await _admin.ApiPostAsync("/api/v1/api-keys", new { displayName = "p", projectId })).AssertStatus(HttpStatusCode.Created).Str("value");
            keys.Add(fixture.App.Client(key));
        }
        fixture.Time.Advance(TimeSpan.FromMinutes(50));
        fixture.Provider.ResponseDelay = TimeSpan.FromMilliseconds(200);
        try
        {
            var responses = await Task.WhenAll(keys.SelectMany(k => Enumerable.Range(0, 10).Select(_ => k.ApiPostAsync($"/api/v1/app-connections/{global}/refresh", new { }))));
            Assert.All(responses, r => Assert.Equal("ACTIVE", r.AssertStatus(HttpStatusCode.OK).Str("status")));
        }
        finally
        {
            fixture.Provider.ResponseDelay = TimeSpan.Zero;
        }
        Assert.Equal(1, fixture.Calls(clientId, "refresh_token"));
    }

    [Fact]
    public async Task Refresh_ResponseWithoutRefreshTokenOrExpiresIn_KeepsTheOldRefreshTokenAndAssumesAnHour()
    {
        var projectId = await _admin.CreateProjectAsync();
        var (clientId, secret) = fixture.NewClient();
        var id = await fixture.SeedAsync(_admin, projectId, clientId, secret);
        var before = await fixture.StoredValueAsync(id);
        fixture.Time.Advance(TimeSpan.FromMinutes(50));
        fixture.Provider.OmitRefreshTokenOnRefresh = true;
        fixture.Provider.OmitExpiresIn = true;
        ApiResponse response;
        try
        {
            response = (await RefreshAsync(id)).AssertStatus(HttpStatusCode.OK);
        }
        finally
        {
            fixture.Provider.OmitRefreshTokenOnRefresh = false;
            fixture.Provider.OmitExpiresIn = false;
        }
        var after = await fixture.StoredValueAsync(id);
        Assert.Equal(before["refresh_token"]!.GetValue<string>(), after["refresh_token"]!.GetValue<string>());
        Assert.NotEqual(before["access_token"]!.GetValue<string>(), after["access_token"]!.GetValue<string>());
        // The seeded expires_in (3600) stays in the stored value; the response carried none, so it is not overwritten.
        var expiresAt = response.Body.GetProperty("expiresAt").GetDateTime();
        Assert.InRange((expiresAt - fixture.Time.GetUtcNow().UtcDateTime).TotalMinutes, 59, 61);
    }

    [Fact]
    public async Task Upsert_TokensWithoutExpiresIn_AreAssumedToLiveTheDefaultHourNotForever()
    {
        var projectId = await _admin.CreateProjectAsync();
        var (clientId, secret) = fixture.NewClient();
        var id = await fixture.SeedAsync(_admin, projectId, clientId, secret, shape: v => v.Remove("expires_in"));
        var row = await fixture.RowAsync(id);
        Assert.Equal(TimeSpan.FromHours(1), row.ExpiresAt - DateTime.UnixEpoch.AddSeconds(fixture.Time.UnixSeconds));

        fixture.Time.Advance(TimeSpan.FromMinutes(46));
        (await RefreshAsync(id)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(1, fixture.Calls(clientId, "refresh_token"));
    }

    [Fact]
    public async Task Refresh_ClientCredentials_IsReMintedWithANewGrant()
    {
        var projectId = await _admin.CreateProjectAsync();
        var (clientId, secret) = fixture.NewClient();
        var id = await fixture.SeedAsync(_admin, projectId, clientId, secret, shape: v =>
        {
            v.Remove("refresh_token");
            v["grant_type"] = "client_credentials";
        });
        var before = await fixture.StoredValueAsync(id);
        fixture.Time.Advance(TimeSpan.FromMinutes(50));

        (await RefreshAsync(id)).AssertStatus(HttpStatusCode.OK);

        Assert.Equal(1, fixture.Calls(clientId, "client_credentials"));
        Assert.Equal(0, fixture.Calls(clientId, "refresh_token"));
        Assert.NotEqual(before["access_token"]!.GetValue<string>(), (await fixture.StoredValueAsync(id))["access_token"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(FakeFailure.InvalidGrant, "invalid_grant")]
    [InlineData(FakeFailure.UnauthorizedClient, "unauthorized_client")]
    public async Task Refresh_PermanentFailure_TurnsErrorWithReasonAndStopsUntilReUpsert(FakeFailure failure, string error)
    {
        var projectId = await _admin.CreateProjectAsync();
        var (clientId, secret) = fixture.NewClient();
        var externalId = Api.Unique("perm");
        var id = await fixture.SeedAsync(_admin, projectId, clientId, secret);
        var row = await fixture.RowAsync(id);
        fixture.Time.Advance(TimeSpan.FromMinutes(50));
        fixture.Provider.FailNext(1, failure);

        var failed = (await RefreshAsync(id)).AssertStatus(HttpStatusCode.OK);

        Assert.Equal("ERROR", failed.Str("status"));
        Assert.Contains(error, failed.Str("statusReason"), StringComparison.Ordinal);
        Assert.Equal(fixture.Time.GetUtcNow().UtcDateTime, failed.Body.GetProperty("statusChangedAt").GetDateTime(), TimeSpan.FromSeconds(1));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, failed.Body.GetProperty("nextRefreshAt").ValueKind);
        var calls = fixture.Calls(clientId, "refresh_token");

        // No more attempts: not on read, not forced, not by the worker.
        (await RefreshAsync(id)).AssertStatus(HttpStatusCode.OK);
        (await RefreshAsync(id, force: true)).AssertStatus(HttpStatusCode.OK);
        fixture.Time.Advance(TimeSpan.FromDays(2));
        await fixture.RunWorkerOnceAsync();
        Assert.Equal(calls, fixture.Calls(clientId, "refresh_token"));
        var audit = (await _admin.ApiGetAsync("/api/v1/audit-events?limit=100")).AssertStatus(HttpStatusCode.OK);
        Assert.Contains(audit.Body.GetProperty("data").EnumerateArray(), e => e.GetProperty("action").GetString() == "connection.refresh_failed" && e.GetProperty("entityId").GetString() == id);

        // Re-authorizing (a new upsert of the same externalId) makes it ACTIVE again.
        var tokens = fixture.Provider.IssueTokens(clientId);
        var reconnected = (await _admin.ApiPostAsync("/api/v1/app-connections", new
        {
            projectId, externalId = row.ExternalId, displayName = "OAuth connection", pieceName = "@acme/piece-crm", type = "OAUTH2",
            value = new { type = "OAUTH2", access_token = tokens.AccessToken, refresh_token = tokens.RefreshToken, expires_in = 3600, client_id = clientId, client_secret = secret, token_url = fixture.Provider.TokenUrl },
        })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("ACTIVE", reconnected.Str("status"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, reconnected.Body.GetProperty("statusReason").ValueKind);
        Assert.Equal(fixture.Time.GetUtcNow().UtcDateTime, reconnected.Body.GetProperty("statusChangedAt").GetDateTime(), TimeSpan.FromSeconds(1));
        fixture.Time.Advance(TimeSpan.FromMinutes(50));
        Assert.Equal("ACTIVE", (await RefreshAsync(id)).AssertStatus(HttpStatusCode.OK).Str("status"));
        Assert.Equal(calls + 1, fixture.Calls(clientId, "refresh_token"));
        _ = externalId;
    }

    [Fact]
    public async Task Refresh_RevokedGrant_TurnsError()
    {
        var projectId = await _admin.CreateProjectAsync();
        var (clientId, secret) = fixture.NewClient();
        var id = await fixture.SeedAsync(_admin, projectId, clientId, secret);
        fixture.Provider.RevokeAll();
        fixture.Time.Advance(TimeSpan.FromMinutes(50));

        Assert.Equal("ERROR", (await RefreshAsync(id)).AssertStatus(HttpStatusCode.OK).Str("status"));
    }

    [Theory]
    [InlineData(FakeFailure.ServerError)]
    [InlineData(FakeFailure.TooManyRequests)]
    [InlineData(FakeFailure.Timeout)]
    [InlineData(FakeFailure.HtmlErrorPage)]
    public async Task Refresh_TransientFailure_StaysActiveBacksOffAndRecovers(FakeFailure failure)
    {
        var projectId = await _admin.CreateProjectAsync();
        var (clientId, secret) = fixture.NewClient();
        var id = await fixture.SeedAsync(_admin, projectId, clientId, secret);
        fixture.Time.Advance(TimeSpan.FromMinutes(50));
        fixture.Provider.FailNext(1, failure);

        var failed = (await RefreshAsync(id)).AssertStatus(HttpStatusCode.OK);

        Assert.Equal("ACTIVE", failed.Str("status"));
        Assert.Contains("retrying", failed.Str("statusReason"), StringComparison.Ordinal);
        var retryAt = failed.Body.GetProperty("nextRefreshAt").GetDateTime();
        Assert.InRange((retryAt - fixture.Time.GetUtcNow().UtcDateTime).TotalSeconds, 25, 35);
        var calls = fixture.Calls(clientId, "refresh_token");

        // Within the cooldown a read does not call the provider again.
        (await RefreshAsync(id)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(calls, fixture.Calls(clientId, "refresh_token"));

        fixture.Time.Advance(TimeSpan.FromSeconds(40));
        var recovered = (await RefreshAsync(id)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("ACTIVE", recovered.Str("status"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, recovered.Body.GetProperty("statusReason").ValueKind);
        Assert.Equal(calls + 1, fixture.Calls(clientId, "refresh_token"));
        var row = await fixture.RowAsync(id);
        Assert.Equal(0, row.RefreshFailureCount);
    }

    [Fact]
    public async Task Refresh_TransientFailuresAllDayLong_CountOneDayAndGiveUpOnlyAfterSeveralDays()
    {
        var projectId = await _admin.CreateProjectAsync();
        var (clientId, secret) = fixture.NewClient();
        var id = await fixture.SeedAsync(_admin, projectId, clientId, secret, expiresIn: 3600);
        fixture.Time.Advance(TimeSpan.FromMinutes(50));

        // A burst on one day counts once.
        for (var i = 0; i < 5; i++)
        {
            fixture.Provider.FailNext(1, FakeFailure.ServerError);
            Assert.Equal("ACTIVE", (await RefreshAsync(id, force: true)).AssertStatus(HttpStatusCode.OK).Str("status"));
        }
        Assert.Equal(1, (await fixture.RowAsync(id)).RefreshFailureDays);
        Assert.Equal(5, (await fixture.RowAsync(id)).RefreshFailureCount);

        // Days two and three: still ACTIVE. Day four: ERROR, with the last error as the reason.
        for (var day = 2; day <= 4; day++)
        {
            fixture.Time.Advance(TimeSpan.FromDays(1));
            fixture.Provider.FailNext(1, FakeFailure.ServerError);
            var response = (await RefreshAsync(id, force: true)).AssertStatus(HttpStatusCode.OK);
            Assert.Equal(day < 4 ? "ACTIVE" : "ERROR", response.Str("status"));
            if (day == 4)
            {
                Assert.Contains("4 different days", response.Str("statusReason"), StringComparison.Ordinal);
                Assert.Contains("server_error", response.Str("statusReason"), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Refresh_InvalidGrantAfterAnotherWriterStoredNewTokens_IsALostRaceNotARevocation()
    {
        var projectId = await _admin.CreateProjectAsync();
        var (clientId, secret) = fixture.NewClient();
        var id = await fixture.SeedAsync(_admin, projectId, clientId, secret);
        var row = await fixture.RowAsync(id);
        fixture.Time.Advance(TimeSpan.FromMinutes(50));
        fixture.Provider.FailNext(1, FakeFailure.InvalidGrant);
        var hold = fixture.Provider.HoldReplies();
        Task<ApiResponse> refresh;
        try
        {
            var arrived = fixture.Provider.WhenCalledAsync(clientId, "refresh_token");
            refresh = RefreshAsync(id);
            await arrived.WaitAsync(TimeSpan.FromSeconds(10));
            // While the provider holds its answer, new tokens are stored (a reconnect, or a sibling that won the race).
            var tokens = fixture.Provider.IssueTokens(clientId);
            (await _admin.ApiPostAsync("/api/v1/app-connections", new
            {
                projectId, externalId = row.ExternalId, displayName = "OAuth connection", pieceName = "@acme/piece-crm", type = "OAUTH2",
                value = new { type = "OAUTH2", access_token = tokens.AccessToken, refresh_token = tokens.RefreshToken, expires_in = 3600, client_id = clientId, client_secret = secret, token_url = fixture.Provider.TokenUrl },
            })).AssertStatus(HttpStatusCode.OK);
        }
        finally
        {
            hold.Dispose();
        }
        Assert.Equal("ACTIVE", (await refresh).AssertStatus(HttpStatusCode.OK).Str("status"));
        Assert.Equal("Active", (await fixture.RowAsync(id)).Status.ToString());
    }

    [Fact]
    public async Task Refresh_NoRefreshTokenAndExpired_TurnsErrorSayingReconnect()
    {
        var projectId = await _admin.CreateProjectAsync();
        var (clientId, secret) = fixture.NewClient();
        var id = await fixture.SeedAsync(_admin, projectId, clientId, secret, shape: v => v.Remove("refresh_token"));
        var row = await fixture.RowAsync(id);
        Assert.Equal(row.ExpiresAt, row.NextRefreshAt);

        fixture.Time.Advance(TimeSpan.FromMinutes(50));
        Assert.Equal("ACTIVE", (await RefreshAsync(id)).AssertStatus(HttpStatusCode.OK).Str("status"));
        fixture.Time.Advance(TimeSpan.FromMinutes(11));
        await fixture.RunWorkerOnceAsync();

        var after = await fixture.RowAsync(id);
        Assert.Equal("Error", after.Status.ToString());
        Assert.Contains("no refresh token", after.StatusReason, StringComparison.Ordinal);
        Assert.Equal(0, fixture.Provider.Calls.Count(c => c.ClientId == clientId));
    }

    [Fact]
    public async Task Worker_RefreshesDueConnectionsAndTouchesIdleOnesDaily()
    {
        var projectId = await _admin.CreateProjectAsync();
        var (clientId, secret) = fixture.NewClient();
        var due = await fixture.SeedAsync(_admin, projectId, clientId, secret, expiresIn: 3600);
        var longLived = await fixture.SeedAsync(_admin, projectId, clientId, secret, expiresIn: 30 * 24 * 3600);
        Assert.Equal(fixture.Time.GetUtcNow().UtcDateTime.AddDays(1), (await fixture.RowAsync(longLived)).NextRefreshAt!.Value, TimeSpan.FromSeconds(2));

        fixture.Time.Advance(TimeSpan.FromMinutes(46));
        await fixture.RunWorkerOnceAsync();
        Assert.Equal(1, fixture.Calls(clientId, "refresh_token"));
        Assert.NotNull((await fixture.RowAsync(due)).LastRefreshedAt);
        Assert.Null((await fixture.RowAsync(longLived)).LastRefreshedAt);

        fixture.Time.Advance(TimeSpan.FromDays(1));
        await fixture.RunWorkerOnceAsync();
        Assert.NotNull((await fixture.RowAsync(longLived)).LastRefreshedAt);
        Assert.Equal(3, fixture.Calls(clientId, "refresh_token"));
    }

    [Fact]
    public async Task Worker_LeaseHeldByADeadReplica_IsTakenOverOnceItLapses()
    {
        var projectId = await _admin.CreateProjectAsync();
        var (clientId, secret) = fixture.NewClient();
        var id = await fixture.SeedAsync(_admin, projectId, clientId, secret);
        fixture.Time.Advance(TimeSpan.FromMinutes(50));
        var until = fixture.Time.GetUtcNow().UtcDateTime.AddSeconds(60);
        await fixture.App.WithDbAsync(db => db.AppConnections.Where(c => c.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.RefreshLeaseOwner, "dead-replica").SetProperty(c => c.RefreshLeaseUntil, until)));

        await fixture.RunWorkerOnceAsync();
        Assert.Equal(0, fixture.Calls(clientId, "refresh_token"));

        fixture.Time.Advance(TimeSpan.FromSeconds(61));
        await fixture.RunWorkerOnceAsync();
        Assert.Equal(1, fixture.Calls(clientId, "refresh_token"));
        var row = await fixture.RowAsync(id);
        Assert.Null(row.RefreshLeaseOwner);
        Assert.Equal("Active", row.Status.ToString());
    }

    [Fact]
    public async Task Refresh_NonOAuthConnection_Is400AndUnknownIs404()
    {
        var projectId = await _admin.CreateProjectAsync();
        var id = (await _admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, Api.Unique("s"), "x"))).AssertStatus(HttpStatusCode.Created).Str("id");
        (await RefreshAsync(id)).AssertValidation("id");
        (await RefreshAsync("nope")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
    }
}

public sealed class RefreshSqliteTests(SqliteOAuthFixture fixture) : RefreshTests(fixture), IClassFixture<SqliteOAuthFixture>;

public sealed class RefreshPostgresTests(PostgresOAuthFixture fixture) : RefreshTests(fixture), IClassFixture<PostgresOAuthFixture>;
