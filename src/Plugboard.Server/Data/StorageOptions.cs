using Npgsql;

namespace Plugboard.Server.Data;

public enum DatabaseEngine
{
    Sqlite,
    Postgres,
}

/// PLUGBOARD_DATA_DIR (default ./data) and PLUGBOARD_DATABASE (empty: SQLite in the data dir;
/// a postgres:// URL or an Npgsql connection string: PostgreSQL).
public sealed class StorageOptions
{
    public string DataDir { get; set; } = "./data";
    public string? Database { get; set; }

    public DatabaseEngine Engine => string.IsNullOrWhiteSpace(Database) ? DatabaseEngine.Sqlite : DatabaseEngine.Postgres;

    public string SqlitePath => Path.Combine(Path.GetFullPath(DataDir), "plugboard.db");

    public static StorageOptions FromConfiguration(IConfiguration configuration) => new()
    {
        DataDir = configuration["PLUGBOARD_DATA_DIR"] is { Length: > 0 } dir ? dir : "./data",
        Database = configuration["PLUGBOARD_DATABASE"],
    };

    public string ConnectionString() => Engine switch
    {
        DatabaseEngine.Sqlite => $"Data Source={SqlitePath};Foreign Keys=True;Pooling=True;Default Timeout=30",
        _ => WithAutoPrepare(ToNpgsql(Database!)),
    };

    /// Hot statements (the engine read, the API key check) are prepared once per connection instead of parsed
    /// and planned on every call, unless the connection string says otherwise ("Max Auto Prepare=0" turns it
    /// off, e.g. behind a PgBouncer without prepared-statement support).
    public static string WithAutoPrepare(string npgsql)
    {
        var builder = new NpgsqlConnectionStringBuilder(npgsql);
        if (!npgsql.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase) && !npgsql.Contains("AutoPrepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 64;
        }
        return builder.ConnectionString;
    }

    /// Accepts postgres://user:pass@host:port/db?opt=v as well as a plain Npgsql connection string.
    public static string ToNpgsql(string database)
    {
        if (!database.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) &&
            !database.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new NpgsqlConnectionStringBuilder(database).ConnectionString;
        }
        var uri = new Uri(database);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (uri.UserInfo.Length > 0)
        {
            var userInfo = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
            if (userInfo.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(userInfo[1]);
            }
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]) switch
            {
                "sslmode" => "SSL Mode",
                var other => other,
            };
            builder[key] = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "true";
        }
        return builder.ConnectionString;
    }
}
