using System.Text.Json.Nodes;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Platform;
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

    private readonly List<HttpClient> _clients = [];
    private TestStorage? _storage;
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
        _storage = await TestStorage.CreateAsync(engine);
        var key = TestKey.New().Base64;
        // One after the other: replicas starting together are MigrationTests' subject.
        _a = await ServerProcess.StartAsync("A", Settings("a", key));
        _b = await ServerProcess.StartAsync("B", Settings("b", key));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        foreach (var server in new[] { _a, _b })
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
        }
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }

    /// A client of the replica for the given credential (the admin key by default), disposed with the fixture.
    public HttpClient Client(ServerProcess server, string credential = TestApp.AdminKey)
    {
        var client = server.Client(credential);
        lock (_clients)
        {
            _clients.Add(client);
        }
        return client;
    }

    /// A registered client of the fake provider and an OAUTH2 value holding tokens it just issued (not due for an hour).
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

    private Dictionary<string, string> Settings(string name, string key)
    {
        var storage = _storage!;
        // On PostgreSQL nothing is shared but the database; on SQLite the database is a file in the data dir.
        var dataDir = engine == DatabaseEngine.Sqlite ? storage.DataDir : Path.Combine(storage.DataDir, name);
        Directory.CreateDirectory(dataDir);
        return new()
        {
            ["PLUGBOARD_DATA_DIR"] = dataDir,
            ["PLUGBOARD_DATABASE"] = storage.Database ?? "",
            [PlatformBootstrap.AdminKeyVariable] = TestApp.AdminKey,
            [KeyRingLoader.EnvironmentVariable] = key,
            ["PLUGBOARD_OPERATOR_KEY"] = OperatorKey,
            ["PLUGBOARD_OAUTH_ALLOWED_HOSTS"] = "127.0.0.1",
            // Nothing but the tests' own requests changes a connection.
            ["PLUGBOARD_REFRESH_WORKER"] = "false",
        };
    }

    private Exception NotStarted()
    {
        TestStorage.SkipUnlessAvailable(engine);
        return new InvalidOperationException("The replicas are not started: InitializeAsync failed or has not run.");
    }
}

public sealed class SqliteReplicaPairFixture() : ReplicaPairFixture(DatabaseEngine.Sqlite);

public sealed class PostgresReplicaPairFixture() : ReplicaPairFixture(DatabaseEngine.Postgres);
