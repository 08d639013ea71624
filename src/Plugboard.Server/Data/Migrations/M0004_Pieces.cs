using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Plugboard.Server.Data.Migrations;

/// The pieces registry: each platform's piece versions and their metadata.
[DbContext(typeof(PlugboardDb))]
[Migration("20261121000004_Pieces")]
public sealed class M0004_Pieces : Migration
{
    /// As it was on the day: a migration keeps its own figures, so changing today's rules cannot rewrite history.
    private const int PieceVersionLength = 100;

    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("pieces", t => new
        {
            id = t.Column<string>(maxLength: Lengths.Id),
            platform_id = t.Column<string>(maxLength: Lengths.Id),
            name = t.Column<string>(maxLength: Lengths.Name),
            version = t.Column<string>(maxLength: PieceVersionLength),
            display_name = t.Column<string>(maxLength: Lengths.Name),
            metadata = t.Column<string>(),
            created = t.Column<DateTime>(),
            updated = t.Column<DateTime>(),
        }, constraints: t => t.PrimaryKey("pk_pieces", x => x.id));
        m.CreateIndex("ux_pieces_platform_name_version", "pieces", ["platform_id", "name", "version"], unique: true);
    }

    protected override void Down(MigrationBuilder m) => m.DropTable("pieces");
}
