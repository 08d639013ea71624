using Npgsql;

namespace Plugboard.Bench.Engine;

/// Where the database's CPU time is: in the server process on SQLite (an in-process library: its time is the
/// server's), in the PostgreSQL cluster's processes on this machine otherwise, found as the parent of the
/// backend serving a connection of ours. A cluster on another machine cannot be read.
internal sealed record DatabaseProcesses(int? PostmasterPid, bool InProcess)
{
    public static readonly DatabaseProcesses Sqlite = new(null, true);

    /// Separately measured: PostgreSQL on this machine.
    public bool Measured => PostmasterPid is not null;

    public TimeSpan Cpu() => PostmasterPid is { } pid ? MachineCpu.Postgres(pid) : TimeSpan.Zero;

    public static async Task<DatabaseProcesses> OfPostgresAsync(string database, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        var backend = Convert.ToInt32(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        return new DatabaseProcesses(MachineCpu.ParentOf(backend), false);
    }
}
