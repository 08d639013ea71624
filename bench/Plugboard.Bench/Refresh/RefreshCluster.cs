using System.Globalization;
using System.Security.Cryptography;
using Npgsql;
using Plugboard.Server.Crypto;
using Plugboard.Server.Platform;

namespace Plugboard.Bench.Refresh;

/// N server processes on one fresh PostgreSQL database: the same encryption and admin keys, a data dir
/// each (nothing shared but the database), the refresh worker on in every one of them.
internal sealed class RefreshCluster : IAsyncDisposable
{
    /// Set explicitly (it is the server's default) because the seeding arithmetic depends on it.
    public const int MarginSeconds = 900;

    private readonly BenchStorage _storage;

    private RefreshCluster(BenchStorage storage, string adminKey, IReadOnlyList<ServerProcess> replicas, string description)
    {
        _storage = storage;
        AdminKey = adminKey;
        Replicas = replicas;
        Description = description;
    }

    public string AdminKey { get; }
    public IReadOnlyList<ServerProcess> Replicas { get; }
    /// The PostgreSQL server and its durability settings.
    public string Description { get; }

    public static async Task<RefreshCluster> StartAsync(RefreshBenchOptions options, string serverDll, CancellationToken ct)
    {
        var storage = await BenchStorage.CreateAsync(BenchOptions.Postgres);
        var replicas = new List<ServerProcess>();
        try
        {
            var adminKey = ApiKeyHash.NewKey();
            var shared = new Dictionary<string, string>
            {
                ["PLUGBOARD_DATABASE"] = storage.Database!,
                [PlatformBootstrap.AdminKeyVariable] = adminKey,
                [KeyRingLoader.EnvironmentVariable] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(EncryptionKey.Size)),
                ["PLUGBOARD_OAUTH_ALLOWED_HOSTS"] = "127.0.0.1",
                ["PLUGBOARD_REFRESH_WORKER"] = "true",
                ["PLUGBOARD_REFRESH_INTERVAL_SECONDS"] = options.IntervalSeconds.ToString(CultureInfo.InvariantCulture),
                ["PLUGBOARD_REFRESH_PARALLELISM"] = options.Parallelism.ToString(CultureInfo.InvariantCulture),
                ["PLUGBOARD_REFRESH_BATCH_SIZE"] = options.BatchSize.ToString(CultureInfo.InvariantCulture),
                ["PLUGBOARD_REFRESH_COOLDOWN_SECONDS"] = options.CooldownSeconds.ToString(CultureInfo.InvariantCulture),
                ["PLUGBOARD_REFRESH_MARGIN_SECONDS"] = MarginSeconds.ToString(CultureInfo.InvariantCulture),
                // The seeding pushes 10,000+ upserts with the admin key through one replica faster than its
                // default limit (6,000 at once, then 100/s); this run measures refresh, not the API's limits.
                ["PLUGBOARD_RATE_LIMIT_PER_CREDENTIAL_PER_MINUTE"] = "0",
            };
            // One after the other: the first start migrates the empty database and creates the platform.
            for (var i = 0; i < options.Servers; i++)
            {
                var name = $"s{i + 1}";
                var dataDir = Path.Combine(storage.DataDir, name);
                Directory.CreateDirectory(dataDir);
                var settings = new Dictionary<string, string>(shared) { ["PLUGBOARD_DATA_DIR"] = dataDir };
                replicas.Add(await BenchLaunch.StartAsync(name, serverDll, settings, ct));
            }
            return new RefreshCluster(storage, adminKey, replicas, await DescribeAsync(storage.Database!, ct));
        }
        catch
        {
            await Task.WhenAll(replicas.Select(r => r.DisposeAsync().AsTask()));
            await storage.DisposeAsync();
            throw;
        }
    }

    private static async Task<string> DescribeAsync(string database, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(ct);
        async Task<string> Show(string setting)
        {
            await using var command = new NpgsqlCommand($"SHOW {setting}", connection);
            return Convert.ToString(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) ?? "?";
        }
        return $"PostgreSQL {await Show("server_version")} (fsync={await Show("fsync")}, synchronous_commit={await Show("synchronous_commit")}, max_connections={await Show("max_connections")})";
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Replicas.Select(r => r.DisposeAsync().AsTask()));
        await _storage.DisposeAsync();
    }
}
