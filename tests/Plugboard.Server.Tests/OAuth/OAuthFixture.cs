using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.OAuth;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Testing.FakeOAuth;

namespace Plugboard.Server.Tests.OAuth;

/// A server on a hand-moved clock, allowed to call the fake provider on 127.0.0.1, with the background
/// worker off (tests run its scan themselves). Tests share it: each uses its own client ids.
public abstract class OAuthFixture(DatabaseEngine engine) : AppFixture(engine)
{
    public FakeTimeProvider Time { get; } = TestClock.StartingNow();
    public FakeOAuthProvider Provider { get; private set; } = null!;

    public static Dictionary<string, string?> Settings() => new()
    {
        ["PLUGBOARD_OAUTH_ALLOWED_HOSTS"] = "127.0.0.1",
        ["PLUGBOARD_REFRESH_WORKER"] = "false",
        ["PLUGBOARD_OAUTH_TIMEOUT_SECONDS"] = "2",
    };

    protected override Dictionary<string, string?> AppSettings() => Settings();

    protected override TimeProvider AppTime => Time;

    protected override async ValueTask StartedAsync() => Provider = await FakeOAuthProvider.StartAsync();

    protected override async ValueTask StoppedAsync()
    {
        if (Provider is not null)
        {
            await Provider.DisposeAsync();
        }
    }

    /// A registered client of the fake provider, unique to the calling test.
    public (string Id, string Secret) NewClient()
    {
        var id = Api.Unique("client");
        var secret = $"cs-{Guid.NewGuid():N}";
        Provider.AddClient(id, secret);
        return (id, secret);
    }

    public int Calls(string clientId, string grantType) => Provider.Calls.Count(c => c.ClientId == clientId && c.GrantType == grantType);

    /// An OAUTH2 connection holding tokens the provider issued `age` ago, living `expiresIn` seconds.
    public async Task<string> SeedAsync(HttpClient admin, string projectId, string clientId, string clientSecret, int expiresIn = 3600,
        TimeSpan? age = null, Action<JsonObject>? shape = null)
    {
        var tokens = Provider.IssueTokens(clientId);
        var value = new JsonObject
        {
            ["type"] = "OAUTH2",
            ["access_token"] = tokens.AccessToken,
            ["refresh_token"] = tokens.RefreshToken,
            ["token_type"] = "Bearer",
            ["expires_in"] = expiresIn,
            ["claimed_at"] = Time.UnixSeconds - (long)(age ?? TimeSpan.Zero).TotalSeconds,
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
            ["token_url"] = Provider.TokenUrl,
            ["redirect_url"] = "https://app.example.com/callback",
        };
        shape?.Invoke(value);
        var response = await admin.ApiPostAsync("/api/v1/app-connections", new
        {
            projectId,
            externalId = Api.Unique("oauth"),
            displayName = "OAuth connection",
            pieceName = "@acme/piece-crm",
            type = "OAUTH2",
            value,
        });
        return response.AssertStatus(HttpStatusCode.Created).Str("id");
    }

    public Task<JsonObject> StoredValueAsync(string connectionId) => App.WithDbAsync(async db =>
    {
        var row = await db.AppConnections.AsNoTracking().FirstAsync(c => c.Id == connectionId);
        var protector = App.Services.GetRequiredService<SecretProtector>();
        return JsonNode.Parse(protector.Unprotect(row.Value, ConnectionSecrets.ValueContext(row.PlatformId, row.Id)))!.AsObject();
    });

    public Task<AppConnection> RowAsync(string connectionId) =>
        App.WithDbAsync(db => db.AppConnections.AsNoTracking().FirstAsync(c => c.Id == connectionId));

    public Task<int> RunWorkerOnceAsync() => App.Services.GetRequiredService<RefreshWorker>().RunOnceAsync(CancellationToken.None);
}

public sealed class SqliteOAuthFixture() : OAuthFixture(DatabaseEngine.Sqlite);

public sealed class PostgresOAuthFixture() : OAuthFixture(DatabaseEngine.Postgres);
