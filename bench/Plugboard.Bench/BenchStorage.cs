using Microsoft.Data.Sqlite;
using Npgsql;

namespace Plugboard.Bench;

/// Where one engine's run keeps its data: a temp data dir (the SQLite file, or just nothing on
/// PostgreSQL) and, on PostgreSQL, a database of its own created on the maintenance server and
/// dropped at the end.
internal sealed class BenchStorage : IAsyncDisposable
{
    public const string PostgresVariable = "PLUGBOARD_BENCH_POSTGRES";

    private readonly string? _maintenance;
    private readonly string? _databaseName;

    private BenchStorage(string engine, string dataDir, string? database, string? maintenance, string? databaseName)
    {
        Engine = engine;
        DataDir = dataDir;
        Database = database;
        _maintenance = maintenance;
        _databaseName = databaseName;
    }

    public string Engine { get; }
    public string DataDir { get; }
    /// The PLUGBOARD_DATABASE value: empty for SQLite.
    public string? Database { get; }

    public static async Task<BenchStorage> CreateAsync(string engine)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "plugboard-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        if (engine == BenchOptions.Sqlite)
        {
            return new BenchStorage(engine, dataDir, null, null, null);
        }
        var maintenance = Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value
            ? value
            : throw new UsageException(
                $"the PostgreSQL run needs {PostgresVariable} (an Npgsql connection string to a server it may create databases on); " +
                "./scripts/bench starts a throwaway one, or pass --engines sqlite");
        var name = "pb_bench_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(maintenance))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        var database = new NpgsqlConnectionStringBuilder(maintenance) { Database = name }.ConnectionString;
        return new BenchStorage(engine, dataDir, database, maintenance, name);
    }

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        if (_databaseName is not null)
        {
            await using var connection = new NpgsqlConnection(_maintenance);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_databaseName}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the temp dir is cleaned by the OS later.
        }
    }
}
