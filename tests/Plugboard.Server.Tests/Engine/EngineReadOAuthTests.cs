using System.Net;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Server.Tests.OAuth;
using Plugboard.Testing.FakeOAuth;

namespace Plugboard.Server.Tests.Engine;

/// The engine read of an OAuth2 connection: refreshed first when about to expire (one refresh however many
/// steps read at once), the refresh token and client secret never handed out, ERROR returned as such.
public abstract class EngineReadOAuthTests(OAuthFixture fixture)
{
    private readonly HttpClient _admin = fixture.App.Client();

    private async Task<(HttpClient Engine, string ExternalId, string Id, string ClientId)> SeedAsync()
    {
        var projectId = await _admin.CreateProjectAsync();
        var (clientId, secret) = fixture.NewClient();
        var id = await fixture.SeedAsync(_admin, projectId, clientId, secret);
        var externalId = (await fixture.RowAsync(id)).ExternalId;
        return (fixture.App.Client(await _admin.EngineTokenAsync(projectId, ttlSeconds: 86_400)), externalId, id, clientId);
    }

    [Fact]
    public async Task Read_NotDue_ReturnsTheStoredAccessTokenWithoutCallingTheProvider()
    {
        var (engine, externalId, id, clientId) = await SeedAsync();
        var stored = await fixture.StoredValueAsync(id);

        var read = (await engine.ReadConnectionAsync(externalId)).AssertStatus(HttpStatusCode.OK);

        var value = read.Body.GetProperty("value");
        Assert.Equal(stored["access_token"]!.GetValue<string>(), value.GetProperty("access_token").GetString());
        Assert.Equal("(REDACTED)", value.GetProperty("refresh_token").GetString());
        Assert.Equal("(REDACTED)", value.GetProperty("client_secret").GetString());
        Assert.DoesNotContain(stored["refresh_token"]!.GetValue<string>(), read.Raw, StringComparison.Ordinal);
        Assert.DoesNotContain(stored["client_secret"]!.GetValue<string>(), read.Raw, StringComparison.Ordinal);
        Assert.Equal(0, fixture.Calls(clientId, "refresh_token"));
    }

    [Fact]
    public async Task Read_AboutToExpire_RefreshesFirstAndReturnsTheNewToken()
    {
        var (engine, externalId, id, clientId) = await SeedAsync();
        var before = await fixture.StoredValueAsync(id);
        fixture.Time.Advance(TimeSpan.FromMinutes(50));

        var read = (await engine.ReadConnectionAsync(externalId)).AssertStatus(HttpStatusCode.OK);

        var after = await fixture.StoredValueAsync(id);
        Assert.Equal(1, fixture.Calls(clientId, "refresh_token"));
        Assert.NotEqual(before["access_token"]!.GetValue<string>(), after["access_token"]!.GetValue<string>());
        Assert.Equal(after["access_token"]!.GetValue<string>(), read.Body.GetProperty("value").GetProperty("access_token").GetString());
        Assert.Equal("(REDACTED)", read.Body.GetProperty("value").GetProperty("refresh_token").GetString());
    }

    [Fact]
    public async Task Read_ManyStepsAtOnceOnADueConnection_RefreshOnceAndAllGetTheNewToken()
    {
        var (engine, externalId, id, clientId) = await SeedAsync();
        fixture.Time.Advance(TimeSpan.FromMinutes(50));

        var reads = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => engine.ReadConnectionAsync(externalId)));

        var stored = (await fixture.StoredValueAsync(id))["access_token"]!.GetValue<string>();
        Assert.Equal(1, fixture.Calls(clientId, "refresh_token"));
        Assert.All(reads, r => Assert.Equal(stored, r.AssertStatus(HttpStatusCode.OK).Body.GetProperty("value").GetProperty("access_token").GetString()));
    }

    [Fact]
    public async Task Read_GrantRevoked_ReturnsErrorWithTheReasonSoThePieceCanAskToReconnect()
    {
        var (engine, externalId, _, clientId) = await SeedAsync();
        fixture.Time.Advance(TimeSpan.FromMinutes(50));
        fixture.Provider.FailNext(1, FakeFailure.InvalidGrant);

        var read = (await engine.ReadConnectionAsync(externalId)).AssertStatus(HttpStatusCode.OK);

        Assert.Equal("ERROR", read.Str("status"));
        Assert.Contains("invalid_grant", read.Str("statusReason"), StringComparison.Ordinal);
        Assert.Equal(1, fixture.Calls(clientId, "refresh_token"));
        // No retry on the next read: ERROR waits for new credentials.
        (await engine.ReadConnectionAsync(externalId)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(1, fixture.Calls(clientId, "refresh_token"));
    }

    [Fact]
    public async Task EngineToken_PastItsExpiry_IsRejected()
    {
        var projectId = await _admin.CreateProjectAsync();
        var engine = fixture.App.Client(await _admin.EngineTokenAsync(projectId, ttlSeconds: 60));
        (await engine.ApiGetAsync("/api/v1/worker/project")).AssertStatus(HttpStatusCode.OK);

        fixture.Time.Advance(TimeSpan.FromSeconds(61));

        (await engine.ApiGetAsync("/api/v1/worker/project")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
    }
}

public sealed class EngineReadOAuthSqliteTests(SqliteOAuthFixture fixture) : EngineReadOAuthTests(fixture), IClassFixture<SqliteOAuthFixture>;

public sealed class EngineReadOAuthPostgresTests(PostgresOAuthFixture fixture) : EngineReadOAuthTests(fixture), IClassFixture<PostgresOAuthFixture>;
