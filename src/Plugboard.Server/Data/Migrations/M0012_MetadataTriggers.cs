using Microsoft.EntityFrameworkCore.Migrations;

namespace Plugboard.Server.Data.Migrations;

/// The metadata triggers as M0012 leaves them (`withKeyset`: each entry also gets its connection's scope_key and created,
/// and a change to either rewrites the entries) and as M0011 wrote them (its Down restores those). Frozen with
/// M0012: a later change to the triggers is a new migration with its own copy.
internal static class M0012_MetadataTriggers
{
    private const int MaxKeyLength = M0011_ConnectionMetadata.MaxKeyLength;
    private const int MaxValueLength = M0011_ConnectionMetadata.MaxValueLength;

    public static void Sqlite(MigrationBuilder m, bool withKeyset)
    {
        var (columns, values, updateOf) = withKeyset
            ? ("connection_id, platform_id, scope_key, created, key, value", "NEW.id, NEW.platform_id, NEW.scope_key, NEW.created", "metadata, scope_key, created")
            : ("connection_id, platform_id, key, value", "NEW.id, NEW.platform_id", "metadata");
        var insertEntries = $"""
            INSERT OR IGNORE INTO app_connection_metadata ({columns})
                SELECT {values}, j.key, j.value FROM json_each(CASE WHEN json_valid(NEW.metadata) THEN NEW.metadata END) j
                WHERE NEW.metadata IS NOT NULL AND json_valid(NEW.metadata) AND json_type(NEW.metadata) = 'object'
                    AND j.type = 'text' AND length(j.key) <= {MaxKeyLength} AND length(j.value) <= {MaxValueLength};
            """;
        m.Sql("DROP TRIGGER IF EXISTS tr_app_connections_metadata_insert;");
        m.Sql("DROP TRIGGER IF EXISTS tr_app_connections_metadata_update;");
        m.Sql($"""
            CREATE TRIGGER tr_app_connections_metadata_insert AFTER INSERT ON app_connections
            BEGIN
                {insertEntries}
            END;
            """);
        m.Sql($"""
            CREATE TRIGGER tr_app_connections_metadata_update AFTER UPDATE OF {updateOf} ON app_connections
            BEGIN
                DELETE FROM app_connection_metadata WHERE connection_id = NEW.id;
                {insertEntries}
            END;
            """);
    }

    public static void Postgres(MigrationBuilder m, bool withKeyset)
    {
        var (columns, values, unchanged, updateOf) = withKeyset
            ? ("connection_id, platform_id, scope_key, created, key, value", "NEW.id, NEW.platform_id, NEW.scope_key, NEW.created",
                "NEW.metadata IS NOT DISTINCT FROM OLD.metadata AND NEW.scope_key = OLD.scope_key AND NEW.created = OLD.created", "metadata, scope_key, created")
            : ("connection_id, platform_id, key, value", "NEW.id, NEW.platform_id", "NEW.metadata IS NOT DISTINCT FROM OLD.metadata", "metadata");
        m.Sql($$"""
            CREATE OR REPLACE FUNCTION app_connections_metadata_sync() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'UPDATE' THEN
                    IF {{unchanged}} THEN
                        RETURN NULL;
                    END IF;
                    DELETE FROM app_connection_metadata WHERE connection_id = NEW.id;
                END IF;
                IF NEW.metadata IS NOT NULL AND jsonb_typeof(NEW.metadata::jsonb) = 'object' THEN
                    INSERT INTO app_connection_metadata ({{columns}})
                        SELECT {{values}}, e.key, e.value #>> '{}' FROM jsonb_each(NEW.metadata::jsonb) e
                        WHERE jsonb_typeof(e.value) = 'string' AND length(e.key) <= {{MaxKeyLength}} AND length(e.value #>> '{}') <= {{MaxValueLength}}
                        ON CONFLICT DO NOTHING;
                END IF;
                RETURN NULL;
            END
            $$;
            """);
        m.Sql("DROP TRIGGER IF EXISTS tr_app_connections_metadata ON app_connections;");
        m.Sql($"""
            CREATE TRIGGER tr_app_connections_metadata AFTER INSERT OR UPDATE OF {updateOf} ON app_connections
                FOR EACH ROW EXECUTE FUNCTION app_connections_metadata_sync();
            """);
    }
}
