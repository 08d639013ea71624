using Npgsql;
using Plugboard.Server.Data;

namespace Plugboard.Server.Tests.Infrastructure;

/// A fresh place for one server's data: a temp data dir, and on PostgreSQL a database of its own.
/// Several <see cref="TestApp"/>s may be started one after another on the same storage (restarts).
public sealed class TestStorage : IAsyncDisposable
{
    public const string PostgresVariable = "PLUGBOARD_TEST_POSTGRES";

    private TestStorage(DatabaseEngine engine, string dataDir, string? database, string? databaseName)
    {
        Engine = engine;
        DataDir = dataDir;
        Database = database;
        DatabaseName = databaseName;
    }

    public DatabaseEngine Engine { get; }
    public string DataDir { get; }
    /// The PLUGBOARD_DATABASE value: null for SQLite.
    public string? Database { get; }
    private string? DatabaseName { get; }

    /// Whether the engine can be tested here: SQLite always, PostgreSQL when <see cref="PostgresVariable"/> is set.
    public static bool Available(DatabaseEngine engine) =>
        engine != DatabaseEngine.Postgres || Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 };

    /// Skips the calling test when its engine cannot be tested here, saying what to set.
    public static void SkipUnlessAvailable(DatabaseEngine engine) =>
        Assert.SkipUnless(Available(engine),
            $"{PostgresVariable} is not set: the PostgreSQL tests need an Npgsql connection string to a server they may create databases on. " +
            "./scripts/test starts a throwaway PostgreSQL and sets it.");

    public static async Task<TestStorage> CreateAsync(DatabaseEngine engine)
    {
        SkipUnlessAvailable(engine);
        var dataDir = Path.Combine(Path.GetTempPath(), "plugboard-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        if (engine == DatabaseEngine.Sqlite)
        {
            return new TestStorage(engine, dataDir, null, null);
        }
        var name = "pb_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(MaintenanceConnectionString()))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        var database = new NpgsqlConnectionStringBuilder(MaintenanceConnectionString()) { Database = name }.ConnectionString;
        return new TestStorage(engine, dataDir, database, name);
    }

    public static string MaintenanceConnectionString() =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"The PostgreSQL tests need {PostgresVariable} (an Npgsql connection string to a server they may create databases on). " +
                "Run ./scripts/test, which starts a throwaway PostgreSQL and sets it.");

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (DatabaseName is not null)
        {
            await using var connection = new NpgsqlConnection(MaintenanceConnectionString());
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a pooled connection: the temp dir is cleaned by the OS later.
        }
    }
}
