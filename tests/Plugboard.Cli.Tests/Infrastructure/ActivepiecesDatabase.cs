using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Plugboard.Testing.Storage;

namespace Plugboard.Cli.Tests.Infrastructure;

/// A throwaway PostgreSQL database laid out like Activepieces' (platform, project, app_connection as its migrations
/// leave them), with values encrypted the way Activepieces' Node code does — by Node itself when it is on PATH.
public sealed class ActivepiecesDatabase : IAsyncDisposable
{
    private readonly ThrowawayStorage _storage;

    private ActivepiecesDatabase(ThrowawayStorage storage, string key)
    {
        _storage = storage;
        Key = key;
    }

    public string ConnectionString => _storage.Database!;
    /// AP_ENCRYPTION_KEY: 32 hex characters, as `openssl rand -hex 16` makes it.
    public string Key { get; }

    public static async Task<ActivepiecesDatabase> CreateAsync(string maintenance)
    {
        var storage = await ThrowawayStorage.CreateAsync("plugboard-cli-tests-ap", "pb_ap_", maintenance);
        var database = new ActivepiecesDatabase(storage, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        await database.ExecuteAsync("""
            CREATE TABLE platform (id varchar(21) PRIMARY KEY, created timestamptz NOT NULL DEFAULT now(), "ownerId" varchar(21));
            CREATE TABLE project (
                id varchar(21) PRIMARY KEY, created timestamptz NOT NULL DEFAULT now(), updated timestamptz NOT NULL DEFAULT now(),
                deleted timestamptz, "ownerId" varchar(21), "displayName" varchar NOT NULL, "platformId" varchar(21) NOT NULL,
                "externalId" varchar, metadata jsonb, type varchar NOT NULL DEFAULT 'TEAM');
            CREATE TABLE app_connection (
                id varchar(21) PRIMARY KEY, created timestamptz NOT NULL DEFAULT now(), updated timestamptz NOT NULL DEFAULT now(),
                "displayName" varchar NOT NULL, "externalId" varchar NOT NULL, type varchar NOT NULL, status varchar NOT NULL DEFAULT 'ACTIVE',
                "platformId" varchar NOT NULL, "pieceName" varchar NOT NULL, "pieceVersion" varchar, "ownerId" varchar,
                "projectIds" varchar[] NOT NULL, scope varchar NOT NULL, value jsonb NOT NULL, metadata jsonb,
                "preSelectForNewProjects" boolean NOT NULL DEFAULT false);
            CREATE INDEX idx_app_connection_platform_id_and_external_id ON app_connection ("platformId", "externalId");
            """);
        return database;
    }

    public Task AddPlatformAsync(string id) => ExecuteAsync("INSERT INTO platform (id) VALUES (@p0)", id);

    public Task AddProjectAsync(string id, string platformId, string displayName, string? externalId, string? metadata = null, bool deleted = false) =>
        ExecuteAsync("""INSERT INTO project (id, "platformId", "displayName", "externalId", metadata, deleted) VALUES (@p0, @p1, @p2, @p3, @p4::jsonb, @p5)""",
            id, platformId, displayName, externalId, metadata, deleted ? DateTime.UtcNow : null);

    public sealed record Row(string Id, string PlatformId, string ExternalId, string Type, string PieceName, string[] ProjectIds, string Scope, JsonObject? Value,
        string? RawValue = null, string? Metadata = null, string DisplayName = "Imported", string Status = "ACTIVE");

    /// Inserts the rows, their values encrypted in one Node run (or RawValue stored as it is: a corrupt row).
    public async Task AddConnectionsAsync(IReadOnlyList<Row> rows)
    {
        var encrypted = await EncryptAsync(rows.Where(r => r.RawValue is null).Select(r => r.Value!.ToJsonString()).ToList());
        var next = 0;
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var batch = new NpgsqlBatch(connection);
        foreach (var row in rows)
        {
            var command = new NpgsqlBatchCommand("""
                INSERT INTO app_connection (id, "platformId", "externalId", "displayName", type, "pieceName", "pieceVersion", "projectIds", scope, value, metadata, status)
                VALUES ($1, $2, $3, $4, $5, $6, '0.1.0', $7, $8, $9::jsonb, $10::jsonb, $11)
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = row.Id });
            command.Parameters.Add(new NpgsqlParameter { Value = row.PlatformId });
            command.Parameters.Add(new NpgsqlParameter { Value = row.ExternalId });
            command.Parameters.Add(new NpgsqlParameter { Value = row.DisplayName });
            command.Parameters.Add(new NpgsqlParameter { Value = row.Type });
            command.Parameters.Add(new NpgsqlParameter { Value = row.PieceName });
            command.Parameters.Add(new NpgsqlParameter { Value = row.ProjectIds });
            command.Parameters.Add(new NpgsqlParameter { Value = row.Scope });
            command.Parameters.Add(new NpgsqlParameter { Value = row.RawValue ?? encrypted[next++] });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)row.Metadata ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { Value = row.Status });
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync();
    }

    public Task ExecuteAsync(string sql, params object?[] args) => RunAsync(sql, args);

    private async Task RunAsync(string sql, object?[] args)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        for (var i = 0; i < args.Length; i++)
        {
            command.Parameters.AddWithValue("p" + i, args[i] ?? DBNull.Value);
        }
        await command.ExecuteNonQueryAsync();
    }

    /// packages/server/api/src/app/helper/encryption.ts, verbatim in spirit: the key as 'binary', a random 16-byte
    /// IV, aes-256-cbc, utf8 in, hex out.
    private const string NodeEncrypt = """
        const crypto = require('crypto');
        const key = Buffer.from(process.env.AP_ENCRYPTION_KEY, 'binary');
        const values = JSON.parse(require('fs').readFileSync(0, 'utf8'));
        const out = values.map(text => {
            const iv = crypto.randomBytes(16);
            const cipher = crypto.createCipheriv('aes-256-cbc', key, iv);
            let encrypted = cipher.update(text, 'utf8', 'hex');
            encrypted += cipher.final('hex');
            return JSON.stringify({ iv: iv.toString('hex'), data: encrypted });
        });
        process.stdout.write(JSON.stringify(out));
        """;

    private async Task<List<string>> EncryptAsync(List<string> plaintexts)
    {
        if (plaintexts.Count == 0)
        {
            return [];
        }
        if (!NodeAvailable)
        {
            return [.. plaintexts.Select(p => new Activepieces.ApEncryption(Key).Encrypt(p))];
        }
        var start = new ProcessStartInfo("node", ["-e", NodeEncrypt])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["AP_ENCRYPTION_KEY"] = Key },
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(JsonSerializer.Serialize(plaintexts));
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, "node failed: " + error);
        return JsonSerializer.Deserialize<List<string>>(output)!;
    }

    private static bool NodeAvailable =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, "node")));

    public ValueTask DisposeAsync() => _storage.DisposeAsync();

    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));

    public string KeyFile()
    {
        var path = Path.Combine(Path.GetTempPath(), "plugboard-cli-tests-values", Guid.NewGuid().ToString("N") + ".key");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Key + "\n", Encoding.ASCII);
        return path;
    }
}
