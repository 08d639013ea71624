using Microsoft.Data.Sqlite;
using Plugboard.Testing.Storage;

namespace Plugboard.Bench;

/// Where one engine's run keeps its data: a temp data dir (the SQLite file, or just nothing on
/// PostgreSQL) and, on PostgreSQL, a database of its own created on the maintenance server and
/// dropped at the end.
internal sealed class BenchStorage : IAsyncDisposable
{
    public const string PostgresVariable = "PLUGBOARD_BENCH_POSTGRES";

    private readonly ThrowawayStorage _storage;

    private BenchStorage(string engine, ThrowawayStorage storage)
    {
        Engine = engine;
        _storage = storage;
    }

    public string Engine { get; }
    public string DataDir => _storage.DataDir;
    /// The PLUGBOARD_DATABASE value: null for SQLite.
    public string? Database => _storage.Database;

    public static async Task<BenchStorage> CreateAsync(string engine)
    {
        var maintenance = engine == BenchOptions.Sqlite ? null : MaintenanceConnectionString();
        return new BenchStorage(engine, await ThrowawayStorage.CreateAsync("plugboard-bench", "pb_bench_", maintenance));
    }

    private static string MaintenanceConnectionString() =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value
            ? value
            : throw new UsageException(
                $"the PostgreSQL run needs {PostgresVariable} (an Npgsql connection string to a server it may create databases on); " +
                "./scripts/bench starts a throwaway one, or pass --engines sqlite");

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        await _storage.DisposeAsync();
    }
}
