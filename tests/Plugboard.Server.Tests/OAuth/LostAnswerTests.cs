using System.Net;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Testing.FakeOAuth;

namespace Plugboard.Server.Tests.OAuth;

/// A refresh whose answer never arrives (the provider rotated the refresh token, then the server gave up waiting)
/// leaves the stored refresh token spent: the next invalid_grant is that, not a revocation, until proven otherwise.
public abstract class LostAnswerTests(OAuthFixture fixture)
{
    private readonly HttpClient _admin = fixture.App.Client();

    private Task<ApiResponse> RefreshAsync(string id) => _admin.ApiPostAsync($"/api/v1/app-connections/{id}/refresh", new { });

    [Fact]
    public async Task Refresh_AnswerLostAfterRotation_NextInvalidGrantBacksOffAndOnlyTheOneAfterTurnsError()
    {
        var projectId = await _admin.CreateProjectAsync();
        var (clientId, secret) = fixture.NewClient();
        var id = await fixture.SeedAsync(_admin, projectId, clientId, secret);
        fixture.Time.Advance(TimeSpan.FromMinutes(50));
        fixture.Provider.FailNext(1, FakeFailure.LostAnswer);

        var lost = (await RefreshAsync(id)).AssertStatus(HttpStatusCode.OK);

        Assert.Equal("ACTIVE", lost.Str("status"));
        Assert.Contains("timeout", lost.Str("statusReason"), StringComparison.Ordinal);
        Assert.NotNull((await fixture.RowAsync(id)).RefreshIndeterminateAt);
        // The provider did rotate: the token Plugboard holds is spent.
        Assert.Contains(fixture.Provider.Calls, c => c.ClientId == clientId && c.GrantType == "refresh_token" && c.Status == 200);

        fixture.Time.Advance(TimeSpan.FromMinutes(2));
        var refused = (await RefreshAsync(id)).AssertStatus(HttpStatusCode.OK);

        Assert.Equal("ACTIVE", refused.Str("status"));
        Assert.Contains("invalid_grant", refused.Str("statusReason"), StringComparison.Ordinal);
        Assert.Contains("answer was lost", refused.Str("statusReason"), StringComparison.Ordinal);
        Assert.True(refused.Body.GetProperty("nextRefreshAt").GetDateTime() > fixture.Time.GetUtcNow().UtcDateTime);
        Assert.Null((await fixture.RowAsync(id)).RefreshIndeterminateAt);
        Assert.Equal(2, fixture.Calls(clientId, "refresh_token"));

        fixture.Time.Advance(TimeSpan.FromMinutes(5));
        var dead = (await RefreshAsync(id)).AssertStatus(HttpStatusCode.OK);

        Assert.Equal("ERROR", dead.Str("status"));
        Assert.Contains("invalid_grant", dead.Str("statusReason"), StringComparison.Ordinal);
        Assert.Equal(3, fixture.Calls(clientId, "refresh_token"));
    }

    [Fact]
    public async Task Refresh_AnswerLostWithoutRotation_NextAttemptSucceedsAndClearsTheDoubt()
    {
        var projectId = await _admin.CreateProjectAsync();
        var (clientId, secret) = fixture.NewClient();
        var id = await fixture.SeedAsync(_admin, projectId, clientId, secret);
        fixture.Time.Advance(TimeSpan.FromMinutes(50));
        fixture.Provider.RotateRefreshTokens = false;
        try
        {
            fixture.Provider.FailNext(1, FakeFailure.LostAnswer);
            Assert.Equal("ACTIVE", (await RefreshAsync(id)).AssertStatus(HttpStatusCode.OK).Str("status"));
            Assert.NotNull((await fixture.RowAsync(id)).RefreshIndeterminateAt);

            fixture.Time.Advance(TimeSpan.FromMinutes(2));
            var recovered = (await RefreshAsync(id)).AssertStatus(HttpStatusCode.OK);

            Assert.Equal("ACTIVE", recovered.Str("status"));
            Assert.Equal(System.Text.Json.JsonValueKind.Null, recovered.Body.GetProperty("statusReason").ValueKind);
            Assert.Null((await fixture.RowAsync(id)).RefreshIndeterminateAt);
        }
        finally
        {
            fixture.Provider.RotateRefreshTokens = true;
        }
    }

    [Fact]
    public async Task Refresh_InvalidGrantWithNoLostAnswerBefore_TurnsErrorAtOnce()
    {
        var projectId = await _admin.CreateProjectAsync();
        var (clientId, secret) = fixture.NewClient();
        var id = await fixture.SeedAsync(_admin, projectId, clientId, secret);
        fixture.Time.Advance(TimeSpan.FromMinutes(50));
        fixture.Provider.FailNext(1, FakeFailure.ServerError);
        Assert.Equal("ACTIVE", (await RefreshAsync(id)).AssertStatus(HttpStatusCode.OK).Str("status"));

        fixture.Time.Advance(TimeSpan.FromMinutes(2));
        fixture.Provider.FailNext(1, FakeFailure.InvalidGrant);

        Assert.Equal("ERROR", (await RefreshAsync(id)).AssertStatus(HttpStatusCode.OK).Str("status"));
    }
}

public sealed class LostAnswerSqliteTests(SqliteOAuthFixture fixture) : LostAnswerTests(fixture), IClassFixture<SqliteOAuthFixture>;

public sealed class LostAnswerPostgresTests(PostgresOAuthFixture fixture) : LostAnswerTests(fixture), IClassFixture<PostgresOAuthFixture>;
