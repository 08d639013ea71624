using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Plugboard.Server.Data.Migrations;

/// Connection definitions (seed 004): whose credentials, inherited global values, test credentials, the embedded
/// switch; connections point at the definition they inherit from, and global ones say whether embedded users see them.
[DbContext(typeof(PlugboardDb))]
[Migration("20261130000009_ConnectionDefinitions")]
public sealed class M0009_ConnectionDefinitions : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("connection_definitions", t => new
        {
            id = t.Column<string>(maxLength: Lengths.Id),
            platform_id = t.Column<string>(maxLength: Lengths.Id),
            stable_key = t.Column<string>(maxLength: Lengths.StableKey),
            display_name = t.Column<string>(maxLength: Lengths.Name),
            piece_name = t.Column<string>(maxLength: Lengths.Name),
            piece_version = t.Column<string>(maxLength: Lengths.Enum, nullable: true),
            type = t.Column<string>(maxLength: Lengths.Enum),
            credentials = t.Column<string>(maxLength: Lengths.Enum),
            supplied_by = t.Column<string>(maxLength: Lengths.Enum, nullable: true),
            global_values = t.Column<string>(),
            global_value_keys = t.Column<string>(),
            test_value = t.Column<string>(nullable: true),
            embedded = t.Column<bool>(),
            proxy_base_url = t.Column<string>(maxLength: 2000, nullable: true),
            status = t.Column<string>(maxLength: Lengths.Enum),
            version = t.Column<long>(),
            created = t.Column<DateTime>(),
            updated = t.Column<DateTime>(),
        }, constraints: t => t.PrimaryKey("pk_connection_definitions", x => x.id));
        m.CreateIndex("ux_connection_definitions_platform_stable_key", "connection_definitions", ["platform_id", "stable_key"], unique: true);
        m.CreateIndex("ix_connection_definitions_platform_created", "connection_definitions", ["platform_id", "created", "id"]);

        m.AddColumn<bool>("embedded", "app_connections", nullable: false, defaultValue: true);
        // No foreign key: SQLite cannot drop a column that has one, and the definition's delete guard keeps every
        // definition_id pointing at a definition (a definition with connections is deleted only with them).
        m.AddColumn<string>("definition_id", "app_connections", maxLength: Lengths.Id, nullable: true);
        m.CreateIndex("ix_app_connections_definition", "app_connections", "definition_id");
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropIndex("ix_app_connections_definition", "app_connections");
        m.DropColumnOnAnyEngine("definition_id", "app_connections");
        m.DropColumnOnAnyEngine("embedded", "app_connections");
        m.DropTable("connection_definitions");
    }
}
