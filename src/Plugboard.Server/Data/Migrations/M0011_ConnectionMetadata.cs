using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Plugboard.Server.Data.Migrations;

/// The top-level string values of each connection's metadata, one row a key, so a list can filter by
/// `metadata.<key>=<value>` through an index instead of reading every row's JSON. Kept by triggers on
/// app_connections, so every writer (the upserter's batch, EF updates, sync, rewrap) keeps it right without
/// knowing it; existing rows are filled in here. Values over 512 characters are not indexed (PostgreSQL's btree
/// has a row size limit) and a filter refuses them.
[DbContext(typeof(PlugboardDb))]
[Migration("20261201000011_ConnectionMetadata")]
public sealed class M0011_ConnectionMetadata : Migration
{
    public const int MaxKeyLength = 100;
    public const int MaxValueLength = 512;

    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("app_connection_metadata", t => new
        {
            connection_id = t.Column<string>(maxLength: Lengths.Id),
            platform_id = t.Column<string>(maxLength: Lengths.Id),
            key = t.Column<string>(maxLength: MaxKeyLength),
            value = t.Column<string>(maxLength: MaxValueLength),
        }, constraints: t =>
        {
            t.PrimaryKey("pk_app_connection_metadata", x => new { x.connection_id, x.key });
            t.ForeignKey("fk_app_connection_metadata_connection", x => x.connection_id, "app_connections", "id", onDelete: ReferentialAction.Cascade);
        });
        m.CreateIndex("ix_app_connection_metadata_lookup", "app_connection_metadata", ["platform_id", "key", "value", "connection_id"]);
        if (m.ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite")
        {
            SqliteTriggers(m);
        }
        else
        {
            PostgresTrigger(m);
        }
    }

    private static void SqliteTriggers(MigrationBuilder m)
    {
        var insertEntries = $"""
            INSERT OR IGNORE INTO app_connection_metadata (connection_id, platform_id, key, value)
                SELECT NEW.id, NEW.platform_id, j.key, j.value FROM json_each(CASE WHEN json_valid(NEW.metadata) THEN NEW.metadata END) j
                WHERE NEW.metadata IS NOT NULL AND json_valid(NEW.metadata) AND json_type(NEW.metadata) = 'object'
                    AND j.type = 'text' AND length(j.key) <= {MaxKeyLength} AND length(j.value) <= {MaxValueLength};
            """;
        m.Sql($"""
            CREATE TRIGGER tr_app_connections_metadata_insert AFTER INSERT ON app_connections
            BEGIN
                {insertEntries}
            END;
            """);
        m.Sql($"""
            CREATE TRIGGER tr_app_connections_metadata_update AFTER UPDATE OF metadata ON app_connections
            BEGIN
                DELETE FROM app_connection_metadata WHERE connection_id = NEW.id;
                {insertEntries}
            END;
            """);
        m.Sql($"""
            INSERT OR IGNORE INTO app_connection_metadata (connection_id, platform_id, key, value)
                SELECT c.id, c.platform_id, j.key, j.value FROM app_connections c, json_each(CASE WHEN json_valid(c.metadata) THEN c.metadata END) j
                WHERE c.metadata IS NOT NULL AND json_valid(c.metadata) AND json_type(c.metadata) = 'object'
                    AND j.type = 'text' AND length(j.key) <= {MaxKeyLength} AND length(j.value) <= {MaxValueLength};
            """);
    }

    private static void PostgresTrigger(MigrationBuilder m)
    {
        m.Sql($$"""
            CREATE FUNCTION app_connections_metadata_sync() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'UPDATE' THEN
                    IF NEW.metadata IS NOT DISTINCT FROM OLD.metadata THEN
                        RETURN NULL;
                    END IF;
                    DELETE FROM app_connection_metadata WHERE connection_id = NEW.id;
                END IF;
                IF NEW.metadata IS NOT NULL AND jsonb_typeof(NEW.metadata::jsonb) = 'object' THEN
                    INSERT INTO app_connection_metadata (connection_id, platform_id, key, value)
                        SELECT NEW.id, NEW.platform_id, e.key, e.value #>> '{}' FROM jsonb_each(NEW.metadata::jsonb) e
                        WHERE jsonb_typeof(e.value) = 'string' AND length(e.key) <= {{MaxKeyLength}} AND length(e.value #>> '{}') <= {{MaxValueLength}}
                        ON CONFLICT DO NOTHING;
                END IF;
                RETURN NULL;
            END
            $$;
            """);
        m.Sql("""
            CREATE TRIGGER tr_app_connections_metadata AFTER INSERT OR UPDATE OF metadata ON app_connections
                FOR EACH ROW EXECUTE FUNCTION app_connections_metadata_sync();
            """);
        m.Sql($$"""
            INSERT INTO app_connection_metadata (connection_id, platform_id, key, value)
                SELECT c.id, c.platform_id, e.key, e.value #>> '{}' FROM app_connections c, jsonb_each(c.metadata::jsonb) e
                WHERE c.metadata IS NOT NULL AND jsonb_typeof(c.metadata::jsonb) = 'object'
                    AND jsonb_typeof(e.value) = 'string' AND length(e.key) <= {{MaxKeyLength}} AND length(e.value #>> '{}') <= {{MaxValueLength}}
                ON CONFLICT DO NOTHING;
            """);
    }

    protected override void Down(MigrationBuilder m)
    {
        if (m.ActiveProvider == "Microsoft.EntityFrameworkCore.Sqlite")
        {
            m.Sql("DROP TRIGGER IF EXISTS tr_app_connections_metadata_insert;");
            m.Sql("DROP TRIGGER IF EXISTS tr_app_connections_metadata_update;");
        }
        else
        {
            m.Sql("DROP TRIGGER IF EXISTS tr_app_connections_metadata ON app_connections;");
            m.Sql("DROP FUNCTION IF EXISTS app_connections_metadata_sync();");
        }
        m.DropTable("app_connection_metadata");
    }
}
