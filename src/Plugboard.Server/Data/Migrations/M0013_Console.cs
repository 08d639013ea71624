using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Plugboard.Server.Data.Migrations;

/// The web console (issue 16): its sign-in sessions (the API key each one acts with, encrypted), and the ASP.NET Core
/// Data Protection key ring its antiforgery tokens are protected with, kept here so every replica shares one.
[DbContext(typeof(PlugboardDb))]
[Migration("20261203000013_Console")]
public sealed class M0013_Console : Migration
{
    public const int MaxKeyXmlLength = 8000;

    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("console_sessions", t => new
        {
            id = t.Column<string>(maxLength: Lengths.Hash),
            platform_id = t.Column<string>(maxLength: Lengths.Id, nullable: true),
            is_operator = t.Column<bool>(),
            api_key = t.Column<string>(maxLength: Lengths.Reason),
            created = t.Column<DateTime>(),
            expires = t.Column<DateTime>(),
            last_seen = t.Column<DateTime>(),
        }, constraints: t => t.PrimaryKey("pk_console_sessions", x => x.id));
        m.CreateIndex("ix_console_sessions_expires", "console_sessions", "expires");

        m.CreateTable("data_protection_keys", t => new
        {
            id = t.Column<string>(maxLength: Lengths.Id),
            xml = t.Column<string>(maxLength: MaxKeyXmlLength),
            created = t.Column<DateTime>(),
        }, constraints: t => t.PrimaryKey("pk_data_protection_keys", x => x.id));
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropTable("data_protection_keys");
        m.DropTable("console_sessions");
    }
}
