using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Audit;
using Plugboard.Server.Configuration;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Platform;

/// First start: one platform with its owner, and an admin (platform) API key.
public static partial class PlatformBootstrap
{
    public const string AdminKeyVariable = "PLUGBOARD_ADMIN_API_KEY";
    public const string AdminKeyFileName = "admin-api-key";

    public static async Task RunAsync(IConfiguration configuration, StorageOptions storage, PlugboardDb db, TimeProvider time, ILogger logger, CancellationToken ct)
    {
        var configuredKey = configuration[AdminKeyVariable];
        if (!string.IsNullOrEmpty(configuredKey) && (!configuredKey.StartsWith(ApiKeyHash.Prefix, StringComparison.Ordinal) || configuredKey.Length < 24 || configuredKey.Length > 256))
        {
            throw new StartupException($"{AdminKeyVariable} must start with '{ApiKeyHash.Prefix}' and be 24 to 256 characters long.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!db.IsSqlite)
        {
            // Replicas starting together on one empty database: one bootstraps, the others wait and see it done.
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(72656970)", ct);
        }

        var platform = await db.Platforms.OrderBy(p => p.Created).FirstOrDefaultAsync(ct);
        var isNew = platform is null;
        // The oldest platform is the bootstrap one, also once an operator has added others. Its state is
        // left as it is: a platform the operator disabled stays disabled across restarts.
        platform ??= db.AddPlatform(time, "Plugboard", configuration["PLUGBOARD_ADMIN_EMAIL"]);

        string? keyToWrite = null;
        if (!string.IsNullOrEmpty(configuredKey))
        {
            var hash = ApiKeyHash.Hash(configuredKey);
            if (!await db.ApiKeys.AnyAsync(k => k.HashedValue == hash, ct))
            {
                AddAdminKey(db, time, platform.Id, configuredKey, $"{AdminKeyVariable}");
            }
        }
        else if (isNew)
        {
            keyToWrite = ApiKeyHash.NewKey();
            AddAdminKey(db, time, platform.Id, keyToWrite, "Generated admin key");
        }

        // The file is written before the commit: a key is never stored as a hash nobody holds.
        var file = keyToWrite is null ? null : WriteKeyFile(storage, keyToWrite);
        try
        {
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch
        {
            if (file is not null)
            {
                File.Delete(file);
            }
            throw;
        }

        if (file is not null)
        {
            LogAdminKeyWritten(logger, file);
        }
    }

    private static void AddAdminKey(PlugboardDb db, TimeProvider time, string platformId, string key, string displayName)
    {
        var apiKey = ApiKey.For(key, platformId, projectId: null, displayName, time.UtcNow());
        db.ApiKeys.Add(apiKey);
        db.Record(time, platformId, AuditLog.SystemActor, "bootstrap", "api_key.created", "api_key", apiKey.Id);
    }

    private static string WriteKeyFile(StorageOptions storage, string key)
    {
        var file = Path.Combine(Path.GetFullPath(storage.DataDir), AdminKeyFileName);
        File.Delete(file);
        OwnerOnlyFile.Create(file, key);
        return file;
    }

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "A new database: the admin API key was written to {KeyFile} (mode 0600).")]
    private static partial void LogAdminKeyWritten(ILogger logger, string keyFile);
}
