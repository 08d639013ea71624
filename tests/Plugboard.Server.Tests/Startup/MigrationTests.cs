using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Platform;
using Plugboard.Server.Projects;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Startup;

public abstract class MigrationTests(DatabaseEngine engine)
{
    private const string InitialMigration = "20261121000001_Initial";
    private const string OAuthMigration = "20261121000002_OAuth";
    private const string FlowsMigration = "20261121000003_Flows";
    private const string PiecesMigration = "20261121000004_Pieces";
    private const string PlatformsMigration = "20261121000005_Platforms";
    private const string EmbeddingMigration = "20261121000006_Embedding";
    private const string RefreshIndeterminateMigration = "20261130000007_RefreshIndeterminate";
    private const string FlowsProjectIndexMigration = "20261130000008_FlowsProjectIndex";
    private const string ConnectionDefinitionsMigration = "20261130000009_ConnectionDefinitions";
    private const string McpServersMigration = "20261130000010_McpServers";
    private const string ConnectionMetadataMigration = "20261201000011_ConnectionMetadata";
    private const string ConnectionMetadataKeysetMigration = "20261202000012_ConnectionMetadataKeyset";
    private const string ConsoleMigration = "20261203000013_Console";
    private const string EmbedConnectMigration = "20261204000014_EmbedConnect";
    private const string WebhooksMigration = "20261205000015_Webhooks";
    private const string OAuthConnectClaimsMigration = "20261206000016_OAuthConnectClaims";
    private static readonly string[] AllMigrations =
        [InitialMigration, OAuthMigration, FlowsMigration, PiecesMigration, PlatformsMigration, EmbeddingMigration, RefreshIndeterminateMigration, FlowsProjectIndexMigration,
            ConnectionDefinitionsMigration, McpServersMigration, ConnectionMetadataMigration, ConnectionMetadataKeysetMigration, ConsoleMigration, EmbedConnectMigration, WebhooksMigration,
            OAuthConnectClaimsMigration];

    private static readonly string[] ExpectedTables =
    [
        "__EFMigrationsHistory", "api_keys", "app_connection_metadata", "app_connection_projects", "app_connections", "audit_events", "connection_definitions", "console_sessions", "data_protection_keys", "embed_sessions", "flow_connection_refs", "flows", "key_canaries", "mcp_servers", "oauth_apps", "oauth_connect_claims", "oauth_providers", "pieces", "platforms", "project_members", "projects", "signing_keys", "users", "webhook_attempts", "webhook_deliveries", "webhook_endpoints",
    ];

    // EF Core serialises migrations with a lock table on SQLite; on PostgreSQL it locks the history table instead.
    private IEnumerable<string> ExpectedTablesOnEngine =>
        (Engine == DatabaseEngine.Sqlite ? ExpectedTables.Append("__EFMigrationsLock") : ExpectedTables).Order(StringComparer.Ordinal);

    protected DatabaseEngine Engine { get; } = engine;

    private static Task<List<string>> TablesAsync(TestApp app) => app.WithDbAsync(db => (db.IsSqlite
            ? db.Database.SqlQueryRaw<string>("SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            : db.Database.SqlQueryRaw<string>("SELECT table_name AS \"Value\" FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"))
        .ToListAsync());

    private static Task<List<string>> HistoryAsync(TestApp app) => app.WithDbAsync(db => db.Database
        .SqlQueryRaw<string>("SELECT \"MigrationId\" || '/' || \"ProductVersion\" AS \"Value\" FROM \"__EFMigrationsHistory\"")
        .ToListAsync());

    [Fact]
    public async Task Migrate_FreshDatabase_CreatesExactlyTheExpectedTables()
    {
        await using var storage = await TestStorage.CreateAsync(Engine);
        await using var app = Restarts.Start(storage);

        Assert.Equal(ExpectedTablesOnEngine, (await TablesAsync(app)).Order(StringComparer.Ordinal));
        Assert.Equal(AllMigrations, await app.WithDbAsync(async db => (await db.Database.GetAppliedMigrationsAsync()).ToList()));
        Assert.Empty(await app.WithDbAsync(async db => (await db.Database.GetPendingMigrationsAsync()).ToList()));
    }

    [Fact]
    public async Task Migrate_ThreeReplicasStartingTogetherOnAnEmptyDatabase_AllStartAndMigrateOnce()
    {
        await using var storage = await TestStorage.CreateAsync(Engine);
        var settings = Restarts.Keys(TestKey.New());
        var apps = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => Restarts.Start(storage, settings))));
        try
        {
            foreach (var app in apps)
            {
                Assert.Equal(AllMigrations, await app.WithDbAsync(async db => (await db.Database.GetAppliedMigrationsAsync()).ToList()));
            }
            Assert.Equal(AllMigrations.Length, (await HistoryAsync(apps[0])).Count);
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Migrate_SecondStartOnSameDatabase_ChangesNothing()
    {
        await using var storage = await TestStorage.CreateAsync(Engine);
        List<string> history, tables;
        await using (var first = Restarts.Start(storage))
        {
            history = await HistoryAsync(first);
            tables = await TablesAsync(first);
        }

        await using var second = Restarts.Start(storage);

        Assert.Equal(history, await HistoryAsync(second));
        Assert.Equal(AllMigrations.Length, history.Count);
        Assert.Equal(tables.Order(StringComparer.Ordinal), (await TablesAsync(second)).Order(StringComparer.Ordinal));
        Assert.Equal(1, await second.WithDbAsync(db => db.Platforms.CountAsync()));
        Assert.Equal(1, await second.WithDbAsync(db => db.Users.CountAsync()));
        Assert.Equal(1, await second.WithDbAsync(db => db.ApiKeys.CountAsync()));
    }

    [Fact]
    public async Task Insert_DuplicateProjectExternalIdOnOnePlatform_IsAUniqueViolation()
    {
        await using var storage = await TestStorage.CreateAsync(Engine);
        await using var app = Restarts.Start(storage);
        var platform = await app.WithDbAsync(db => db.Platforms.AsNoTracking().SingleAsync());
        Project NewProject(string platformId) => new()
        {
            Id = Ids.New(), PlatformId = platformId, OwnerId = platform.OwnerId, DisplayName = "p", ExternalId = "dup",
            Created = DateTime.UtcNow, Updated = DateTime.UtcNow,
        };

        await InsertAsync(app, NewProject(platform.Id));
        await InsertAsync(app, NewProject("anotherPlatform00000"));
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => InsertAsync(app, NewProject(platform.Id)));

        Assert.True(error.IsUniqueViolation(), error.ToString());
    }

    [Fact]
    public async Task Insert_DuplicateConnectionExternalIdInOneScope_IsAUniqueViolation()
    {
        await using var storage = await TestStorage.CreateAsync(Engine);
        await using var app = Restarts.Start(storage);
        var platformId = await app.WithDbAsync(db => db.Platforms.Select(p => p.Id).SingleAsync());
        AppConnection NewConnection(string scopeKey) => new()
        {
            Id = Ids.New(), PlatformId = platformId, ExternalId = "dup",
            Scope = scopeKey == AppConnection.PlatformScopeKey ? ConnectionScope.Platform : ConnectionScope.Project, ScopeKey = scopeKey,
            DisplayName = "c", PieceName = "@activepieces/piece-example", Type = ConnectionType.NoAuth, Value = "v1:x",
            Created = DateTime.UtcNow, Updated = DateTime.UtcNow,
        };

        await InsertAsync(app, NewConnection("projectA000000000000"));
        await InsertAsync(app, NewConnection("projectB000000000000"));
        await InsertAsync(app, NewConnection(AppConnection.PlatformScopeKey));
        var sameProject = await Assert.ThrowsAsync<DbUpdateException>(() => InsertAsync(app, NewConnection("projectA000000000000")));
        var samePlatform = await Assert.ThrowsAsync<DbUpdateException>(() => InsertAsync(app, NewConnection(AppConnection.PlatformScopeKey)));

        Assert.True(sameProject.IsUniqueViolation(), sameProject.ToString());
        Assert.True(samePlatform.IsUniqueViolation(), samePlatform.ToString());
    }

    private static Task<int> InsertAsync<T>(TestApp app, T entity) where T : class => app.WithDbAsync(db =>
    {
        db.Add(entity);
        return db.SaveChangesAsync();
    });
}

public sealed class MigrationSqliteTests() : MigrationTests(DatabaseEngine.Sqlite)
{
    [Fact]
    public async Task Pragmas_ConnectionFromTheDbContext_AreWalAndSynchronousFull()
    {
        await using var storage = await TestStorage.CreateAsync(Engine);
        await using var app = Restarts.Start(storage);

        var (journal, synchronous) = await app.WithDbAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            try
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = "PRAGMA journal_mode";
                var mode = (string?)await command.ExecuteScalarAsync();
                command.CommandText = "PRAGMA synchronous";
                return (mode, (long?)await command.ExecuteScalarAsync());
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        });

        Assert.Equal("wal", journal);
        Assert.Equal(2L, synchronous);
        await using var outside = new SqliteConnection($"Data Source={Path.Combine(storage.DataDir, "plugboard.db")};Pooling=False");
        await outside.OpenAsync();
        await using var check = outside.CreateCommand();
        check.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await check.ExecuteScalarAsync());
    }
}

public sealed class MigrationPostgresTests() : MigrationTests(DatabaseEngine.Postgres);
