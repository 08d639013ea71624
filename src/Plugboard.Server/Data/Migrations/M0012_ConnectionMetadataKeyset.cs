using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Plugboard.Server.Data.Migrations;

/// The list's keyset on the metadata index: each entry carries its connection's scope_key and created (neither ever
/// changes once a connection exists), indexed after (platform_id, key, value), so a page filtered by a metadata value
/// reads that value's entries of one scope in page order and stops after the page, instead of walking the
/// project's connections in order and probing each (M0011's EXISTS), which read most of the project for a rare
/// tenant. The triggers are recreated to write the two columns; existing entries are filled in from their connections.
[DbContext(typeof(PlugboardDb))]
[Migration("20261202000012_ConnectionMetadataKeyset")]
public sealed class M0012_ConnectionMetadataKeyset : Migration
{
    public const string PageIndex = "ix_app_connection_metadata_page";
    private const string LookupIndex = "ix_app_connection_metadata_lookup";
    private const string Table = "app_connection_metadata";

    /// Only until the backfill below sets every row: the triggers always write both columns.
    private static readonly DateTime Placeholder = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    protected override void Up(MigrationBuilder m)
    {
        m.AddColumn<string>("scope_key", Table, maxLength: Lengths.Id, nullable: false, defaultValue: "");
        m.AddColumn<DateTime>("created", Table, nullable: false, defaultValue: Placeholder);
        m.Sql("""
            UPDATE app_connection_metadata AS m SET scope_key = c.scope_key, created = c.created
                FROM app_connections AS c WHERE c.id = m.connection_id;
            """);
        if (!m.IsSqlite())
        {
            // SQLite keeps a column's default until the table is rebuilt; PostgreSQL can drop it, so a missed write fails loudly.
            m.Sql($"ALTER TABLE {Table} ALTER COLUMN scope_key DROP DEFAULT, ALTER COLUMN created DROP DEFAULT;");
        }
        // The lookup's (platform_id, key, value) prefix is this index's, and the EXISTS of further filters probes the primary key.
        m.DropIndex(LookupIndex, Table);
        m.CreateIndex(PageIndex, Table, ["platform_id", "key", "value", "scope_key", "created", "connection_id"]);
        if (m.IsSqlite())
        {
            M0012_MetadataTriggers.Sqlite(m, withKeyset: true);
        }
        else
        {
            M0012_MetadataTriggers.Postgres(m, withKeyset: true);
        }
    }

    protected override void Down(MigrationBuilder m)
    {
        // The triggers first: SQLite refuses to drop a column a trigger names.
        if (m.IsSqlite())
        {
            M0012_MetadataTriggers.Sqlite(m, withKeyset: false);
        }
        else
        {
            M0012_MetadataTriggers.Postgres(m, withKeyset: false);
        }
        m.DropIndex(PageIndex, Table);
        m.CreateIndex(LookupIndex, Table, ["platform_id", "key", "value", "connection_id"]);
        m.DropColumnOnAnyEngine("created", Table);
        m.DropColumnOnAnyEngine("scope_key", Table);
    }
}
