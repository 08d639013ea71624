using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Plugboard.Server.Data.Migrations;

/// Many platforms: the operator disables one (disabled_at) and lists them all (by created, id).
[DbContext(typeof(PlugboardDb))]
[Migration("20261121000005_Platforms")]
public sealed class M0005_Platforms : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.AddColumn<DateTime>("disabled_at", "platforms", nullable: true);
        m.CreateIndex("ix_platforms_created", "platforms", ["created", "id"]);
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropIndex("ix_platforms_created", "platforms");
        m.DropColumnOnAnyEngine("disabled_at", "platforms");
    }
}
