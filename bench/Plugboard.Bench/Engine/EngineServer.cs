using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Npgsql;
using Plugboard.Server.Crypto;
using Plugboard.Server.Http;
using Plugboard.Server.Platform;

namespace Plugboard.Bench.Engine;

/// One bench host process (the server with the floor and bare routes) on a fresh database of one engine.
internal sealed class EngineServer : IAsyncDisposable
{
    public const string HostProject = "bench/Plugboard.Bench.Host";

    private readonly BenchStorage _storage;

    private EngineServer(BenchStorage storage, ServerProcess process, string adminKey, string description, DatabaseProcesses database)
    {
        Database = database;
        _storage = storage;
        Process = process;
        AdminKey = adminKey;
        Description = description;
    }

    public ServerProcess Process { get; }
    public DatabaseProcesses Database { get; }
    public string AdminKey { get; }
    /// The engine, its version and durability settings.
    public string Description { get; }

    public static async Task<EngineServer> StartAsync(string engine, string serverDll, CancellationToken ct)
    {
        var storage = await BenchStorage.CreateAsync(engine);
        try
        {
            var adminKey = ApiKeyHash.NewKey();
            var settings = new Dictionary<string, string>
            {
                ["PLUGBOARD_DATA_DIR"] = storage.DataDir,
                ["PLUGBOARD_DATABASE"] = storage.Database ?? "",
                [PlatformBootstrap.AdminKeyVariable] = adminKey,
                [KeyRingLoader.EnvironmentVariable] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(EncryptionKey.Size)),
                // One platform key sends every list request and one engine token every read: a 429 would measure the
                // limiter, not the route. The per-address limit stays (nothing measured goes without a credential
                // but the bare route, which opts out of limiting).
                [RateLimitOptions.PerCredentialVariable] = "0",
                [RateLimitOptions.PerEngineTokenVariable] = "0",
                // The proxy phase calls the bench host's own stand-in API on 127.0.0.1.
                ["PLUGBOARD_OUTBOUND_ALLOWED_HOSTS"] = "127.0.0.1",
            };
            var process = await BenchLaunch.StartAsync(engine, serverDll, settings, ct);
            var description = storage.Database is { } database
                ? await DescribePostgresAsync(database, ct)
                : await DescribeSqliteAsync(Path.Combine(storage.DataDir, "plugboard.db"), ct);
            var processes = storage.Database is { } postgres ? await DatabaseProcesses.OfPostgresAsync(postgres, ct) : DatabaseProcesses.Sqlite;
            return new EngineServer(storage, process, adminKey, description, processes);
        }
        catch
        {
            await storage.DisposeAsync();
            throw;
        }
    }

    private static async Task<string> DescribeSqliteAsync(string file, CancellationToken ct)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(ct);
        async Task<string> Scalar(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToString(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) ?? "?";
        }
        return $"SQLite {await Scalar("SELECT sqlite_version()")} (journal_mode={await Scalar("PRAGMA journal_mode")}, synchronous=FULL)";
    }

    private static async Task<string> DescribePostgresAsync(string database, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(ct);
        async Task<string> Show(string setting)
        {
            await using var command = new NpgsqlCommand($"SHOW {setting}", connection);
            return Convert.ToString(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) ?? "?";
        }
        return $"PostgreSQL {await Show("server_version")} (fsync={await Show("fsync")}, synchronous_commit={await Show("synchronous_commit")})";
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        await _storage.DisposeAsync();
    }
}
