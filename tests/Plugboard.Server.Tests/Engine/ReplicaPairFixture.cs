using System.Text.Json.Nodes;
using Plugboard.Server.Data;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Server.Tests.Startup;
using Plugboard.Testing.FakeOAuth;

namespace Plugboard.Server.Tests.Engine;

/// Two server processes, replica A and replica B, on one database with one encryption key, one admin key and
/// an operator key, plus a fake OAuth provider they may call. Tests in a class share the pair, so each makes
/// its own projects, externalIds and (where it disables one) platform. On SQLite both use one database file.
///
/// On PostgreSQL without <see cref="TestStorage.PostgresVariable"/> nothing is started, and every test that
/// reaches for a replica is skipped with the reason.
public abstract class ReplicaPairFixture(DatabaseEngine engine) : IAsyncLifetime
{
    public const string OperatorKey = "op-staleness-operator-key-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private Replicas? _replicas;
    private ServerProcess? _a;
    private ServerProcess? _b;
    private FakeOAuthProvider? _provider;

    public ServerProcess A => _a ?? throw NotStarted();
    public ServerProcess B => _b ?? throw NotStarted();
    public FakeOAuthProvider Provider => _provider ?? throw NotStarted();

    public async ValueTask InitializeAsync()
    {
        if (!TestStorage.Available(engine))
        {
            return;
        }
        _provider = await FakeOAuthProvider.StartAsync();
        _replicas = await Replicas.CreateAsync(engine);
        var key = TestKey.New().Base64;
        var settings = new Dictionary<string, string>
        {
            ["PLUGBOARD_OPERATOR_KEY"] = OperatorKey,
            ["PLUGBOARD_OAUTH_ALLOWED_HOSTS"] = "127.0.0.1",
        };
        // One after the other: replicas starting together are MigrationTests' subject. The refresh worker stays off:
        // nothing but the tests' own requests changes a connection.
        _a = await _replicas.StartAsync("A", key, settings);
        _b = await _replicas.StartAsync("B", key, settings);
    }

    public async ValueTask DisposeAsync()
    {
        if (_replicas is not null)
        {
            await _replicas.DisposeAsync();
        }
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }

    public HttpClient Client(ServerProcess server, string credential = TestApp.AdminKey) =>
        (_replicas ?? throw NotStarted()).Client(server, credential);

    public JsonObject FreshOAuthValue()
    {
        var clientId = Api.Unique("client");
        var secret = $"cs-{Guid.NewGuid():N}";
        Provider.AddClient(clientId, secret);
        var tokens = Provider.IssueTokens(clientId);
        return new JsonObject
        {
            ["type"] = "OAUTH2",
            ["access_token"] = tokens.AccessToken,
            ["refresh_token"] = tokens.RefreshToken,
            ["token_type"] = "Bearer",
            ["expires_in"] = 3600,
            ["claimed_at"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["token_url"] = Provider.TokenUrl,
            ["redirect_url"] = "https://app.example.com/callback",
        };
    }

    /// Both replicas' last lines: for assertion messages.
    public string Diagnostics() => $"{A.OutputTail(30)}\n{B.OutputTail(30)}";

    private Exception NotStarted()
    {
        TestStorage.SkipUnlessAvailable(engine);
        return new InvalidOperationException("The replicas are not started: InitializeAsync failed or has not run.");
    }
}

public sealed class SqliteReplicaPairFixture() : ReplicaPairFixture(DatabaseEngine.Sqlite);

public sealed class PostgresReplicaPairFixture() : ReplicaPairFixture(DatabaseEngine.Postgres);
