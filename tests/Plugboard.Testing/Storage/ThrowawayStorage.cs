using Npgsql;

namespace Plugboard.Testing.Storage;

/// A fresh place for one server's data: a temp data dir and, on PostgreSQL, a database of its own created on
/// the maintenance server and dropped (with whoever is still connected) at the end.
public sealed class ThrowawayStorage : IAsyncDisposable
{
    private readonly string? _maintenance;
    private readonly string? _databaseName;

    private ThrowawayStorage(string dataDir, string? database, string? maintenance, string? databaseName)
    {
        DataDir = dataDir;
        Database = database;
        _maintenance = maintenance;
        _databaseName = databaseName;
    }

    public string DataDir { get; }
    /// The PLUGBOARD_DATABASE value: null for SQLite.
    public string? Database { get; }

    /// <paramref name="folder"/> names the temp folder the data dirs go in, <paramref name="databasePrefix"/> the
    /// databases; <paramref name="postgresMaintenance"/> is an Npgsql connection string to a server the caller may
    /// create databases on, or null for SQLite.
    public static async Task<ThrowawayStorage> CreateAsync(string folder, string databasePrefix, string? postgresMaintenance)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), folder, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        if (postgresMaintenance is null)
        {
            return new ThrowawayStorage(dataDir, null, null, null);
        }
        var name = databasePrefix + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(postgresMaintenance))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        var database = new NpgsqlConnectionStringBuilder(postgresMaintenance) { Database = name }.ConnectionString;
        return new ThrowawayStorage(dataDir, database, postgresMaintenance, name);
    }

    public async ValueTask DisposeAsync()
    {
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
            // A file still held open by a pooled connection: the temp dir is cleaned by the OS later.
        }
    }
}
