using System.Data.Common;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Platform;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Startup;

/// Each hand-written migration applied to a database that holds data written by the version before it: every
/// row is read back with its values, and the columns a migration adds hold their defaults. Rows are written
/// with raw SQL in the shape of their own version (the entities only know the newest one). A new migration
/// adds an entry to <see cref="Versions"/> (its rows, and the default of each column it adds), not a new test.
public abstract class UpgradeTests(DatabaseEngine engine)
{
    private static readonly TestKey Key = TestKey.New();
    private static readonly SecretProtector Protector = new(new KeyRing([EncryptionKey.FromMaterial(Convert.FromBase64String(Key.Base64))]));

    private const string PlatformId = "pf_upgrade_main";
    private const string OwnerId = "us_upgrade_owner";
    private const string ProjectId = "pj_upgrade_one";
    private const string OtherProjectId = "pj_upgrade_two";
    private const string ConnectionId = "cn_upgrade_one";
    private const string ConnectionSecret = "{\"type\":\"SECRET_TEXT\",\"secret_text\":\"xoxb-old-version\"}";
    /// A platform API key written by the first version: after the upgrade the API must still accept it.
    private const string PlatformApiKey = "sk-upgradeplatformkey0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg";

    private static readonly DateTime T1 = new(2026, 11, 21, 10, 0, 0, 123, DateTimeKind.Utc);
    private static readonly DateTime T2 = new(2026, 11, 22, 11, 30, 15, 456, DateTimeKind.Utc);
    private static readonly DateTime Far = new(2099, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// Primary key columns, to find a row again; "id" unless listed.
    private static readonly Dictionary<string, string[]> Keys = new(StringComparer.Ordinal)
    {
        ["app_connection_projects"] = ["connection_id", "project_id"],
        ["flow_connection_refs"] = ["flow_id", "external_id"],
        ["project_members"] = ["project_id", "user_id"],
        ["key_canaries"] = ["key_id"],
        ["app_connection_metadata"] = ["connection_id", "key"],
    };

    private sealed record Row(string Table, Dictionary<string, object?> Values);

    private sealed record AddedColumn(string Table, string Column, object? Default);

    /// One entry per migration, in order: the rows a database at that version holds (every table that version
    /// has gets at least one, in the columns that version has), and the value each column the migration adds
    /// must hold in the rows written before it.
    private sealed record Version(string Migration, Row[] Rows, AddedColumn[] Added);

    private static Row R(string table, Dictionary<string, object?> values) => new(table, values);

    private static readonly Version[] Versions =
    [
        new("20261121000001_Initial",
        [
            R("platforms", new() { ["id"] = PlatformId, ["name"] = "Upgrade Co", ["owner_id"] = OwnerId, ["created"] = T1 }),
            R("users", new()
            {
                ["id"] = OwnerId, ["platform_id"] = PlatformId, ["email"] = "owner@upgrade.test", ["first_name"] = "Ada",
                ["last_name"] = "Lovelace", ["platform_role"] = "Admin", ["created"] = T1,
            }),
            R("projects", new()
            {
                ["id"] = ProjectId, ["platform_id"] = PlatformId, ["owner_id"] = OwnerId, ["display_name"] = "Upgrade Project",
                ["display_name_search"] = "upgrade project", ["external_id"] = "ext-project-1", ["metadata"] = "{\"tier\":\"gold\"}",
                ["created"] = T1, ["updated"] = T2,
            }),
            R("projects", new()
            {
                ["id"] = OtherProjectId, ["platform_id"] = PlatformId, ["owner_id"] = OwnerId, ["display_name"] = "Ünïcödé ✓",
                ["display_name_search"] = "ünïcödé ✓", ["external_id"] = null, ["metadata"] = null, ["created"] = T2, ["updated"] = T2,
            }),
            R("api_keys", new()
            {
                ["id"] = "ak_upgrade_platform", ["platform_id"] = PlatformId, ["project_id"] = null, ["display_name"] = "Old platform key",
                ["hashed_value"] = ApiKeyHash.Hash(PlatformApiKey), ["truncated_value"] = ApiKeyHash.Truncate(PlatformApiKey), ["created"] = T1,
            }),
            R("api_keys", new()
            {
                ["id"] = "ak_upgrade_project", ["platform_id"] = PlatformId, ["project_id"] = ProjectId, ["display_name"] = "Old project key",
                ["hashed_value"] = ApiKeyHash.Hash("sk-upgradeprojectkey"), ["truncated_value"] = "tkey", ["created"] = T2,
            }),
            R("app_connections", new()
            {
                ["id"] = ConnectionId, ["platform_id"] = PlatformId, ["external_id"] = "ext-conn-1", ["scope"] = "Project",
                ["scope_key"] = ProjectId, ["display_name"] = "Old Connection", ["display_name_search"] = "old connection",
                ["piece_name"] = "@activepieces/piece-example", ["piece_version"] = "0.1.0", ["type"] = "SecretText", ["status"] = "Active",
                ["owner_id"] = OwnerId, ["value"] = Protector.Protect(ConnectionSecret, ConnectionSecrets.ValueContext(PlatformId, ConnectionId)),
                ["metadata"] = "{\"note\":\"v1\"}", ["pre_select_for_new_projects"] = false, ["version"] = 3L, ["created"] = T1, ["updated"] = T2,
            }),
            R("app_connections", new()
            {
                ["id"] = "cn_upgrade_global", ["platform_id"] = PlatformId, ["external_id"] = "ext-conn-global", ["scope"] = "Platform",
                ["scope_key"] = AppConnection.PlatformScopeKey, ["display_name"] = "Global", ["display_name_search"] = "global",
                ["piece_name"] = "@activepieces/piece-example", ["piece_version"] = null, ["type"] = "NoAuth", ["status"] = "Active",
                ["owner_id"] = null, ["value"] = "v1:not-read:by-this-test", ["metadata"] = null, ["pre_select_for_new_projects"] = true,
                ["version"] = 1L, ["created"] = T2, ["updated"] = T2,
            }),
            R("app_connection_projects", new() { ["connection_id"] = "cn_upgrade_global", ["project_id"] = ProjectId, ["platform_id"] = PlatformId }),
            R("audit_events", new()
            {
                ["id"] = "ev_upgrade_one", ["platform_id"] = PlatformId, ["project_id"] = ProjectId, ["action"] = "app_connection.created",
                ["actor_type"] = "api_key", ["actor_id"] = "ak_upgrade_platform", ["entity_type"] = "app_connection", ["entity_id"] = ConnectionId,
                ["details"] = "{\"externalId\":\"ext-conn-1\"}", ["created"] = T1,
            }),
            R("key_canaries", new()
            {
                ["key_id"] = Key.Id, ["check_value"] = Protector.Protect(KeyCanary.Plaintext, KeyCanary.Context(Key.Id)), ["created"] = T1,
            }),
        ], []),
        new("20261121000002_OAuth",
        [
            R("app_connections", new()
            {
                ["id"] = "cn_upgrade_oauth", ["platform_id"] = PlatformId, ["external_id"] = "ext-conn-oauth", ["scope"] = "Project",
                ["scope_key"] = ProjectId, ["display_name"] = "OAuth", ["display_name_search"] = "oauth",
                ["piece_name"] = "@activepieces/piece-gmail", ["piece_version"] = "0.2.0", ["type"] = "OAuth2", ["status"] = "Error",
                ["owner_id"] = OwnerId, ["value"] = "v1:not-read:by-this-test", ["metadata"] = null, ["pre_select_for_new_projects"] = false,
                ["version"] = 7L, ["created"] = T1, ["updated"] = T2,
                ["status_reason"] = "invalid_grant", ["status_changed_at"] = T2, ["expires_at"] = T2, ["next_refresh_at"] = Far,
                ["last_refreshed_at"] = T1, ["refresh_lease_owner"] = "replica-a", ["refresh_lease_until"] = T2,
                ["refresh_failure_count"] = 4, ["refresh_failure_days"] = 2, ["last_refresh_failure_at"] = T2,
            }),
            R("oauth_apps", new()
            {
                ["id"] = "oa_upgrade_one", ["platform_id"] = PlatformId, ["piece_name"] = "@activepieces/piece-gmail", ["client_id"] = "client-123",
                ["client_secret"] = "v1:not-read:by-this-test", ["created"] = T1, ["updated"] = T2,
            }),
            R("oauth_providers", new()
            {
                ["id"] = "op_upgrade_one", ["platform_id"] = PlatformId, ["name"] = "acme",
                ["definition"] = "{\"authUrl\":\"https://acme.test/auth\",\"tokenUrl\":\"https://acme.test/token\"}", ["created"] = T1, ["updated"] = T2,
            }),
        ],
        [
            new("app_connections", "status_reason", null), new("app_connections", "status_changed_at", null),
            new("app_connections", "expires_at", null), new("app_connections", "next_refresh_at", null),
            new("app_connections", "last_refreshed_at", null), new("app_connections", "refresh_lease_owner", null),
            new("app_connections", "refresh_lease_until", null), new("app_connections", "refresh_failure_count", 0),
            new("app_connections", "refresh_failure_days", 0), new("app_connections", "last_refresh_failure_at", null),
        ]),
        new("20261121000003_Flows",
        [
            R("flows", new()
            {
                ["id"] = "fl_upgrade_one", ["platform_id"] = PlatformId, ["project_id"] = ProjectId, ["display_name"] = "Old flow",
                ["status"] = "Enabled", ["trigger_json"] = "{\"type\":\"EMPTY\"}", ["steps_json"] = "[]", ["version"] = 2L,
                ["created"] = T1, ["updated"] = T2,
            }),
            R("flow_connection_refs", new() { ["flow_id"] = "fl_upgrade_one", ["external_id"] = "ext-conn-1", ["platform_id"] = PlatformId, ["project_id"] = ProjectId }),
        ], []),
        new("20261121000004_Pieces",
        [
            R("pieces", new()
            {
                ["id"] = "pc_upgrade_one", ["platform_id"] = PlatformId, ["name"] = "@acme/piece-widgets", ["version"] = "1.2.3",
                ["display_name"] = "Widgets", ["metadata"] = "{\"actions\":{}}", ["created"] = T1, ["updated"] = T2,
            }),
        ], []),
        new("20261121000005_Platforms",
        [
            // Created after the first one: the bootstrap keeps using the oldest platform.
            R("platforms", new() { ["id"] = "pf_upgrade_off", ["name"] = "Disabled Co", ["owner_id"] = "us_upgrade_off", ["created"] = T2, ["disabled_at"] = T2 }),
        ],
        [new("platforms", "disabled_at", null)]),
        new("20261121000006_Embedding",
        [
            R("signing_keys", new()
            {
                ["id"] = "sk_upgrade_one", ["platform_id"] = PlatformId, ["display_name"] = "SaaS key",
                ["public_key"] = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----", ["issuer"] = "saas",
                ["audience"] = null, ["created"] = T1,
            }),
            R("users", new()
            {
                ["id"] = "us_upgrade_embedded", ["platform_id"] = PlatformId, ["email"] = "embedded@upgrade.test", ["first_name"] = "Grace",
                ["last_name"] = "Hopper", ["platform_role"] = "Member", ["created"] = T2, ["external_id"] = "saas-user-7",
            }),
            R("project_members", new()
            {
                ["project_id"] = ProjectId, ["user_id"] = "us_upgrade_embedded", ["platform_id"] = PlatformId, ["role"] = "Editor",
                ["created"] = T1, ["updated"] = T2,
            }),
        ],
        [new("users", "external_id", null)]),
        new("20261130000007_RefreshIndeterminate",
        [
            R("app_connections", new()
            {
                ["id"] = "cn_upgrade_indeterminate", ["platform_id"] = PlatformId, ["external_id"] = "ext-conn-indeterminate", ["scope"] = "Project",
                ["scope_key"] = OtherProjectId, ["display_name"] = "Lost answer", ["display_name_search"] = "lost answer",
                ["piece_name"] = "@activepieces/piece-gmail", ["piece_version"] = null, ["type"] = "OAuth2", ["status"] = "Error",
                ["owner_id"] = null, ["value"] = "v1:not-read:by-this-test", ["metadata"] = null, ["pre_select_for_new_projects"] = false,
                ["version"] = 1L, ["created"] = T2, ["updated"] = T2, ["status_reason"] = null, ["status_changed_at"] = null,
                ["expires_at"] = null, ["next_refresh_at"] = null, ["last_refreshed_at"] = null, ["refresh_lease_owner"] = null,
                ["refresh_lease_until"] = null, ["refresh_failure_count"] = 0, ["refresh_failure_days"] = 0, ["last_refresh_failure_at"] = null,
                ["refresh_indeterminate_at"] = T2,
            }),
        ],
        [new("app_connections", "refresh_indeterminate_at", null)]),
        // An index only: no new table or column, and the rows of every earlier version must come through it.
        new("20261130000008_FlowsProjectIndex", [], []),
        new("20261130000009_ConnectionDefinitions",
        [
            R("connection_definitions", new()
            {
                ["id"] = "cd_upgrade_one", ["platform_id"] = PlatformId, ["stable_key"] = "crm.oauth", ["display_name"] = "CRM",
                ["piece_name"] = "@acme/piece-crm", ["piece_version"] = null, ["type"] = "OAuth2", ["credentials"] = "Customer",
                ["supplied_by"] = "Customer", ["global_values"] = "v1:not-read:by-this-test", ["global_value_keys"] = "[\"client_id\"]",
                ["test_value"] = null, ["embedded"] = true, ["proxy_base_url"] = null, ["status"] = "Active", ["version"] = 1L, ["created"] = T2, ["updated"] = T2,
            }),
        ],
        [new("app_connections", "definition_id", null), new("app_connections", "embedded", true)]),
        new("20261130000010_McpServers",
        [
            R("mcp_servers", new()
            {
                ["id"] = "mcp_upgrade_one", ["platform_id"] = PlatformId, ["project_id"] = ProjectId, ["name"] = "Agent", ["external_id"] = "mcp_ext_one",
                ["token_hash"] = new string('a', 64), ["tools"] = "[]", ["version"] = 1L, ["created"] = T2, ["updated"] = T2,
            }),
        ], []),
        new("20261201000011_ConnectionMetadata",
        [
            R("app_connection_metadata", new() { ["connection_id"] = ConnectionId, ["platform_id"] = PlatformId, ["key"] = "tenantId", ["value"] = "t-upgrade" }),
        ], []),
        // The keyset columns are copied from each entry's connection: the one seeded above is cn_upgrade_one's.
        new("20261202000012_ConnectionMetadataKeyset", [],
            [new("app_connection_metadata", "scope_key", ProjectId), new("app_connection_metadata", "created", T1)]),
        new("20261203000013_Console",
        [
            R("console_sessions", new()
            {
                ["id"] = new string('c', 64), ["platform_id"] = PlatformId, ["is_operator"] = false, ["api_key"] = "v1:not-read:by-this-test",
                ["created"] = T2, ["expires"] = Far, ["last_seen"] = T2,
            }),
            R("data_protection_keys", new() { ["id"] = "dpk_upgrade_one", ["xml"] = "<plugboardEncrypted>v1:not-read</plugboardEncrypted>", ["created"] = T2 }),
        ], []),
        new("20261204000014_EmbedConnect",
        [
            R("embed_sessions", new()
            {
                ["id"] = new string('e', 64), ["platform_id"] = PlatformId, ["project_id"] = ProjectId, ["user_id"] = OwnerId,
                ["origin"] = "https://app.example.com", ["session_token"] = "v1:not-read:by-this-test", ["created"] = T2, ["expires"] = Far,
            }),
        ],
        [new("platforms", "allowed_origins", "[]")]),
        new("20261205000015_Webhooks",
        [
            R("webhook_endpoints", new()
            {
                ["id"] = "wh_upgrade_one", ["platform_id"] = PlatformId, ["url"] = "https://hooks.example.com/plugboard",
                ["events"] = "connection.created,connection.deleted", ["secret"] = "v1:not-read:by-this-test", ["created"] = T2,
            }),
            R("webhook_deliveries", new()
            {
                ["id"] = "whd_upgrade_one", ["platform_id"] = PlatformId, ["endpoint_id"] = "wh_upgrade_one", ["event_type"] = "connection.created",
                ["payload"] = "{\"type\":\"connection.created\"}", ["dedupe_key"] = null, ["status"] = "Pending", ["attempt_count"] = 1,
                ["next_attempt_at"] = T2, ["lease_owner"] = null, ["lease_until"] = null, ["created"] = T2, ["completed_at"] = null,
            }),
            R("webhook_attempts", new()
            {
                ["id"] = "wha_upgrade_one", ["delivery_id"] = "whd_upgrade_one", ["platform_id"] = PlatformId, ["attempted_at"] = T2,
                ["http_status"] = 503, ["error"] = "the receiver answered 503", ["succeeded"] = false,
            }),
        ], []),
        new("20261206000016_OAuthConnectClaims",
        [
            R("oauth_connect_claims", new() { ["id"] = new string('d', 64), ["expires"] = Far }),
        ], []),
    ];

    public static TheoryData<string> Upgrades => new(Versions.Skip(1).Select(v => v.Migration));

    protected DatabaseEngine Engine { get; } = engine;

    [Fact]
    public async Task Versions_EveryMigration_HasAnEntryInOrder()
    {
        await using var storage = await TestStorage.CreateAsync(Engine);
        await using var db = Open(storage);

        Assert.Equal(db.Database.GetMigrations(), Versions.Select(v => v.Migration));
    }

    [Theory]
    [MemberData(nameof(Upgrades))]
    public async Task Migrate_DatabaseHoldingDataOfThePreviousVersion_KeepsEveryRowAndFillsTheNewColumns(string migration)
    {
        var target = Array.FindIndex(Versions, v => v.Migration == migration);
        await using var storage = await TestStorage.CreateAsync(Engine);
        await using (var db = Open(storage))
        {
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync(Versions[target - 1].Migration);
            var before = await ColumnsAsync(db);
            AssertEveryTableSeeded(before, target - 1);
            foreach (var row in Seeds(target - 1))
            {
                await InsertAsync(db, AtVersion(row.Row, row.Version, target - 1));
            }

            await migrator.MigrateAsync(migration);

            var after = await ColumnsAsync(db);
            var added = after.Where(t => before.ContainsKey(t.Key))
                .SelectMany(t => t.Value.Except(before[t.Key]).Select(c => $"{t.Key}.{c}")).Order(StringComparer.Ordinal);
            Assert.Equal(Versions[target].Added.Select(a => $"{a.Table}.{a.Column}").Order(StringComparer.Ordinal), added);
            Assert.Empty(before.Keys.Except(after.Keys));
            await AssertRowsAsync(db, target - 1, target);

            // And on to the newest version, which the server then starts on.
            await migrator.MigrateAsync();
            var latest = Versions.Length - 1;
            AssertEveryTableSeeded(await ColumnsAsync(db), latest);
            await AssertRowsAsync(db, target - 1, latest);
        }
        SqliteConnection.ClearAllPools();

        await using var app = Restarts.Start(storage, Restarts.Keys(Key));

        var page = (await app.Client(PlatformApiKey).ApiGetAsync("/api/v1/projects?limit=100")).AssertStatus(HttpStatusCode.OK);
        var projects = page.Body.GetProperty("data").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!);
        Assert.Equal([ProjectId, OtherProjectId], projects.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("ext-project-1", projects[ProjectId].GetProperty("externalId").GetString());
        Assert.Equal("Upgrade Project", projects[ProjectId].GetProperty("displayName").GetString());
        (await app.Client().ApiGetAsync("/api/v1/projects?limit=100")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(ConnectionSecret, app.Decrypt(ConnectionId, (await app.StoredValuesAsync())[ConnectionId]));
        // Every old row is readable through the model (enum names, dates, JSON columns as the entities map them).
        var seeded = Seeds(target - 1).GroupBy(s => s.Row.Table).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (table, count) in await app.WithDbAsync(EntityCountsAsync))
        {
            Assert.True(count >= seeded.GetValueOrDefault(table), $"{table}: {count} rows through the model, {seeded.GetValueOrDefault(table)} seeded");
        }
    }

    [Theory]
    [MemberData(nameof(Upgrades))]
    public async Task Down_AfterUpOnTheVersionBefore_LeavesItsSchemaAndRows(string migration)
    {
        var target = Array.FindIndex(Versions, v => v.Migration == migration);
        var previous = Versions[target - 1].Migration;
        await using var storage = await TestStorage.CreateAsync(Engine);
        await using var db = Open(storage);
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(previous);
        var before = await SchemaShape.FromDatabaseAsync(db);
        foreach (var row in Seeds(target - 1))
        {
            await InsertAsync(db, AtVersion(row.Row, row.Version, target - 1));
        }

        await migrator.MigrateAsync(migration);
        await migrator.MigrateAsync(previous);

        var after = await SchemaShape.FromDatabaseAsync(db);
        var missing = before.Except(after).ToList();
        var extra = after.Except(before).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"Down of {migration} lost:\n  {string.Join("\n  ", missing)}\nand left behind:\n  {string.Join("\n  ", extra)}");
        Assert.Equal(Versions.Take(target).Select(v => v.Migration), await db.Database.GetAppliedMigrationsAsync());
        await AssertRowsAsync(db, target - 1, target - 1);
    }

    /// The metadata index is filled from the connections already stored, not only by the triggers from then on.
    [Fact]
    public async Task Migrate_ToConnectionMetadata_IndexesTheStringMetadataOfEveryStoredConnection()
    {
        var target = Array.FindIndex(Versions, v => v.Migration == "20261201000011_ConnectionMetadata");
        await using var storage = await TestStorage.CreateAsync(Engine);
        await using var db = Open(storage);
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(Versions[target - 1].Migration);
        foreach (var row in Seeds(target - 1))
        {
            await InsertAsync(db, AtVersion(row.Row, row.Version, target - 1));
        }

        await migrator.MigrateAsync(Versions[target].Migration);

        var entries = await db.Set<Plugboard.Server.Connections.ConnectionMetadataEntry>().AsNoTracking()
            .Select(e => new { e.ConnectionId, e.PlatformId, e.Key, e.Value }).ToListAsync();
        Assert.Equal([new { ConnectionId, PlatformId, Key = "note", Value = "v1" }], entries);
    }

    /// The entries already indexed get the keyset of their connection, a project's or a global one.
    [Fact]
    public async Task Migrate_ToConnectionMetadataKeyset_CopiesEachEntrysScopeAndCreatedFromItsConnection()
    {
        var target = Array.FindIndex(Versions, v => v.Migration == "20261202000012_ConnectionMetadataKeyset");
        await using var storage = await TestStorage.CreateAsync(Engine);
        await using var db = Open(storage);
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(Versions[target - 1].Migration);
        foreach (var row in Seeds(target - 1))
        {
            await InsertAsync(db, AtVersion(row.Row, row.Version, target - 1));
        }
        await db.Database.ExecuteSqlRawAsync("UPDATE app_connections SET metadata = {0} WHERE id = {1}", "{\"tenantId\":\"t-global\"}", "cn_upgrade_global");

        await migrator.MigrateAsync(Versions[target].Migration);

        var entries = await db.Set<ConnectionMetadataEntry>().AsNoTracking()
            .OrderBy(e => e.ConnectionId).ThenBy(e => e.Key)
            .Select(e => new { e.ConnectionId, e.Key, e.Value, e.ScopeKey, e.Created }).ToListAsync();
        Assert.Equal(
        [
            new { ConnectionId = "cn_upgrade_global", Key = "tenantId", Value = "t-global", ScopeKey = AppConnection.PlatformScopeKey, Created = T2 },
            new { ConnectionId, Key = "note", Value = "v1", ScopeKey = ProjectId, Created = T1 },
            new { ConnectionId, Key = "tenantId", Value = "t-upgrade", ScopeKey = ProjectId, Created = T1 },
        ], entries);
    }

    /// The rows a database at version <paramref name="version"/> holds, each with the version it was written in.
    private static IEnumerable<(Row Row, int Version)> Seeds(int version) =>
        Versions.Take(version + 1).SelectMany((v, i) => v.Rows.Select(r => (r, i)));

    /// A row written at version <paramref name="writtenIn"/> as a database at <paramref name="version"/> holds it: with
    /// the columns later migrations added, at the values they give old rows (a NOT NULL column without a default, such as
    /// M0012's scope_key, cannot be left out of the insert).
    private static Row AtVersion(Row row, int writtenIn, int version)
    {
        var values = new Dictionary<string, object?>(row.Values);
        foreach (var added in Versions.Take(version + 1).Skip(writtenIn + 1).SelectMany(v => v.Added).Where(a => a.Table == row.Table))
        {
            values.TryAdd(added.Column, added.Default);
        }
        return row with { Values = values };
    }

    /// Rows the database's own triggers write for the seeded rows, with the migration that brought the triggers: rows
    /// seeded at that version or later come with them (M0011's metadata entry of cn_upgrade_one's `{"note":"v1"}`).
    private static readonly (string Migration, Row Row)[] TriggerRows =
    [
        ("20261201000011_ConnectionMetadata",
            R("app_connection_metadata", new() { ["connection_id"] = ConnectionId, ["platform_id"] = PlatformId, ["key"] = "note", ["value"] = "v1" })),
    ];

    /// Every row a database at version <paramref name="version"/> holds after its seeds were written: theirs and their triggers'.
    private static IEnumerable<(Row Row, int Version)> Written(int version) => Seeds(version).Concat(TriggerRows
        .Select(t => (t.Row, Version: Array.FindIndex(Versions, v => v.Migration == t.Migration)))
        .Where(t => t.Version <= version));

    private static void AssertEveryTableSeeded(Dictionary<string, HashSet<string>> tables, int version)
    {
        var seeded = Seeds(version).Select(s => s.Row.Table).ToHashSet(StringComparer.Ordinal);
        var missing = tables.Keys.Where(t => !seeded.Contains(t)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"Tables at {Versions[version].Migration} without seed rows: {string.Join(", ", missing)}");
    }

    private async Task AssertRowsAsync(PlugboardDb db, int seededAt, int now)
    {
        var seeds = Written(seededAt).ToList();
        foreach (var table in seeds.GroupBy(s => s.Row.Table))
        {
            var count = await ScalarAsync(db, $"SELECT COUNT(*) FROM \"{table.Key}\"");
            Assert.True(count == table.Count(), $"{table.Key} after {Versions[now].Migration}: {count} rows, {table.Count()} written");
        }
        foreach (var (row, writtenIn) in seeds)
        {
            var expected = new Dictionary<string, object?>(row.Values);
            foreach (var added in Versions.Take(now + 1).Skip(writtenIn + 1).SelectMany(v => v.Added).Where(a => a.Table == row.Table))
            {
                expected.TryAdd(added.Column, added.Default);
            }
            var key = Keys.GetValueOrDefault(row.Table, ["id"]);
            var columns = expected.Keys.ToList();
            await WithCommandAsync(db, async command =>
            {
                command.CommandText = $"SELECT {string.Join(", ", columns.Select(c => $"\"{c}\""))} FROM \"{row.Table}\" WHERE " +
                    string.Join(" AND ", key.Select((k, i) => $"\"{k}\" = @k{i}"));
                for (var i = 0; i < key.Length; i++)
                {
                    AddParameter(command, $"@k{i}", row.Values[key[i]]);
                }
                await using var reader = await command.ExecuteReaderAsync();
                var where = $"{row.Table} ({string.Join(", ", key.Select(k => row.Values[k]))}) after {Versions[now].Migration}";
                Assert.True(await reader.ReadAsync(), $"{where}: the row is gone");
                for (var i = 0; i < columns.Count; i++)
                {
                    Assert.True(Equals(Normalize(expected[columns[i]]), Read(reader, i, expected[columns[i]])),
                        $"{where}: {columns[i]} is {Read(reader, i, expected[columns[i]]) ?? "NULL"}, expected {Normalize(expected[columns[i]]) ?? "NULL"}");
                }
                Assert.False(await reader.ReadAsync(), $"{where}: more than one row");
            });
        }
    }

    /// Both engines' readers brought to one comparable form, typed by the value the row was written with.
    private static object? Read(DbDataReader reader, int i, object? expected) =>
        reader.IsDBNull(i) ? null : expected switch
        {
            DateTime => reader.GetDateTime(i).Ticks,
            bool => reader.GetBoolean(i),
            int or long => Convert.ToInt64(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture),
            _ => reader.GetString(i),
        };

    private static object? Normalize(object? value) => value switch
    {
        DateTime d => d.Ticks,
        int n => (long)n,
        _ => value,
    };

    private static async Task<List<(string Table, int Count)>> EntityCountsAsync(PlugboardDb db)
    {
        var counts = new List<(string, int)>();
        foreach (var entity in db.Model.GetEntityTypes())
        {
            var set = (IQueryable<object>)typeof(DbContext).GetMethod(nameof(DbContext.Set), Type.EmptyTypes)!
                .MakeGenericMethod(entity.ClrType).Invoke(db, null)!;
            counts.Add((entity.GetTableName()!, (await set.ToListAsync()).Count));
        }
        return counts;
    }

    private static Task InsertAsync(PlugboardDb db, Row row) => WithCommandAsync(db, async command =>
    {
        var columns = row.Values.Keys.ToList();
        command.CommandText = $"INSERT INTO \"{row.Table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) " +
            $"VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
        for (var i = 0; i < columns.Count; i++)
        {
            AddParameter(command, $"@p{i}", row.Values[columns[i]]);
        }
        await command.ExecuteNonQueryAsync();
    });

    private static void AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private static async Task<long> ScalarAsync(PlugboardDb db, string sql)
    {
        long result = 0;
        await WithCommandAsync(db, async command =>
        {
            command.CommandText = sql;
            result = Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        });
        return result;
    }

    /// Each table of the database (EF's own left out) with its column names.
    private static async Task<Dictionary<string, HashSet<string>>> ColumnsAsync(PlugboardDb db)
    {
        var columns = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        await WithCommandAsync(db, async command =>
        {
            command.CommandText = db.IsSqlite
                ? "SELECT m.name, c.name FROM sqlite_master m JOIN pragma_table_info(m.name) c WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"
                : "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var table = reader.GetString(0);
                if (!table.StartsWith("__EF", StringComparison.Ordinal))
                {
                    (columns.TryGetValue(table, out var set) ? set : columns[table] = new HashSet<string>(StringComparer.Ordinal)).Add(reader.GetString(1));
                }
            }
        });
        return columns;
    }

    private static async Task WithCommandAsync(PlugboardDb db, Func<DbCommand, Task> use)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            await use(command);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// A context on the test's database built as the server builds it, but not migrated: the test moves it
    /// from version to version itself.
    protected static PlugboardDb Open(TestStorage storage)
    {
        var options = new DbContextOptionsBuilder<PlugboardDb>();
        var settings = new StorageOptions { DataDir = storage.DataDir, Database = storage.Database };
        if (storage.Engine == DatabaseEngine.Sqlite)
        {
            options.UseSqlite(settings.ConnectionString()).AddInterceptors(new SqlitePragmas());
        }
        else
        {
            options.UseNpgsql(settings.ConnectionString());
        }
        options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
        return new PlugboardDb(options.Options);
    }
}

public sealed class UpgradeSqliteTests() : UpgradeTests(DatabaseEngine.Sqlite);

public sealed class UpgradePostgresTests() : UpgradeTests(DatabaseEngine.Postgres);
