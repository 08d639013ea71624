using Npgsql;

namespace Plugboard.Cli.Activepieces;

public sealed record ApProject(string Id, string PlatformId, string DisplayName, string? ExternalId, string? MetadataJson);

public sealed record ApConnection(
    string Id, string PlatformId, string DisplayName, string ExternalId, string Type, string Status, string PieceName, string? PieceVersion,
    IReadOnlyList<string> ProjectIds, string Scope, string? ValueJson, string? MetadataJson, bool PreSelectForNewProjects);

/// Reads an Activepieces PostgreSQL database (tables platform, project, app_connection), read-only. Columns added
/// by later Activepieces versions are read only when the table has them, so older databases import too.
public static class ApDatabase
{
    public static async Task<(List<string> Platforms, List<ApProject> Projects, List<ApConnection> Connections)> ReadAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        // Nothing here writes: say so to the server as well.
        await using (var readOnly = new NpgsqlCommand("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", connection))
        {
            await readOnly.ExecuteNonQueryAsync(ct);
        }
        var projectColumns = await ColumnsAsync(connection, "project", ct);
        var connectionColumns = await ColumnsAsync(connection, "app_connection", ct);

        var platforms = new List<string>();
        await using (var command = new NpgsqlCommand("SELECT id FROM platform ORDER BY id", connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                platforms.Add(reader.GetString(0));
            }
        }

        var projects = new List<ApProject>();
        var projectSql = $"""
            SELECT id, "platformId", "displayName", {Optional(projectColumns, "externalId")}, {Optional(projectColumns, "metadata", "::text")}
            FROM project {(projectColumns.Contains("deleted") ? "WHERE deleted IS NULL" : "")} ORDER BY created, id
            """;
        await using (var command = new NpgsqlCommand(projectSql, connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                projects.Add(new ApProject(reader.GetString(0), reader.GetString(1), reader.GetString(2), Text(reader, 3), Text(reader, 4)));
            }
        }

        var connections = new List<ApConnection>();
        var connectionSql = $"""
            SELECT id, "platformId", "displayName", "externalId", type, {Optional(connectionColumns, "status")}, "pieceName",
                   {Optional(connectionColumns, "pieceVersion")}, "projectIds", {Optional(connectionColumns, "scope")}, value::text,
                   {Optional(connectionColumns, "metadata", "::text")}, {(connectionColumns.Contains("preSelectForNewProjects") ? "\"preSelectForNewProjects\"" : "false")}
            FROM app_connection ORDER BY created, id
            """;
        await using (var command = new NpgsqlCommand(connectionSql, connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                connections.Add(new ApConnection(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    Text(reader, 5) ?? "ACTIVE", reader.GetString(6), Text(reader, 7),
                    reader.IsDBNull(8) ? [] : reader.GetFieldValue<string[]>(8), Text(reader, 9) ?? "PROJECT", Text(reader, 10), Text(reader, 11),
                    !reader.IsDBNull(12) && reader.GetBoolean(12)));
            }
        }
        return (platforms, projects, connections);
    }

    private static string Optional(HashSet<string> columns, string column, string cast = "") =>
        columns.Contains(column) ? $"\"{column}\"{cast}" : "NULL";

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static async Task<HashSet<string>> ColumnsAsync(NpgsqlConnection connection, string table, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table", connection);
        command.Parameters.AddWithValue("table", table);
        var columns = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            columns.Add(reader.GetString(0));
        }
        if (columns.Count == 0)
        {
            throw new CliException($"the database has no table '{table}': is it an Activepieces database?");
        }
        return columns;
    }
}
