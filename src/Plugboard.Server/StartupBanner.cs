using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Platform;

namespace Plugboard.Server;

/// The few lines a newcomer needs once the server answers: where it listens, where the data and the admin
/// key are, which database it uses and whether the operator routes are on. Paths and hosts only, never a key.
public static partial class StartupBanner
{
    public static void LogWhenStarted(WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Plugboard");
            var storage = app.Services.GetRequiredService<StorageOptions>();
            var configuration = app.Services.GetRequiredService<IConfiguration>();
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var dataDir = Path.GetFullPath(storage.DataDir);

            LogListening(logger, addresses.Count == 0 ? "(no address)" : string.Join(", ", addresses));
            LogDatabase(logger, Describe(storage));
            LogDataDir(logger, dataDir);
            LogEncryptionKey(logger, string.IsNullOrEmpty(configuration[KeyRingLoader.EnvironmentVariable])
                ? Path.Combine(dataDir, KeyRingLoader.KeyFileName)
                : KeyRingLoader.EnvironmentVariable);
            var adminKeyFile = Path.Combine(dataDir, PlatformBootstrap.AdminKeyFileName);
            LogAdminKey(logger, File.Exists(adminKeyFile)
                ? adminKeyFile
                : string.IsNullOrEmpty(configuration[PlatformBootstrap.AdminKeyVariable])
                    ? "no key file (it is written on the first start of an empty database only)"
                    : PlatformBootstrap.AdminKeyVariable);
            LogOperator(logger, app.Services.GetRequiredService<OperatorOptions>().Enabled
                ? "on"
                : $"off (set {OperatorOptions.Variable} and restart to manage platforms)");
        });
    }

    private static string Describe(StorageOptions storage)
    {
        if (storage.Engine == DatabaseEngine.Sqlite)
        {
            return $"SQLite {storage.SqlitePath} (WAL)";
        }
        var npgsql = new NpgsqlConnectionStringBuilder(StorageOptions.ToNpgsql(storage.Database!));
        return $"PostgreSQL {npgsql.Host}:{npgsql.Port}/{npgsql.Database}";
    }

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "Plugboard is listening on {Addresses} (Ctrl+C stops it)")]
    private static partial void LogListening(ILogger logger, string addresses);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Database: {Database}")]
    private static partial void LogDatabase(ILogger logger, string database);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "Data directory: {DataDir}")]
    private static partial void LogDataDir(ILogger logger, string dataDir);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Information, Message = "Encryption key: {Source}")]
    private static partial void LogEncryptionKey(ILogger logger, string source);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Information, Message = "Admin API key: {Where}")]
    private static partial void LogAdminKey(ILogger logger, string where);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Information, Message = "Operator routes (/api/v1/platforms): {State}")]
    private static partial void LogOperator(ILogger logger, string state);
}
