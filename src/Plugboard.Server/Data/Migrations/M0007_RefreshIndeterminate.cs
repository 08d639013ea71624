using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Plugboard.Server.Data.Migrations;

/// A refresh whose answer was lost: remembered, so the next invalid_grant is retried before the connection turns ERROR.
[DbContext(typeof(PlugboardDb))]
[Migration("20261130000007_RefreshIndeterminate")]
public sealed class M0007_RefreshIndeterminate : Migration
{
    protected override void Up(MigrationBuilder m) =>
        m.AddColumn<DateTime>("refresh_indeterminate_at", "app_connections", nullable: true);

    protected override void Down(MigrationBuilder m) =>
        m.DropColumnOnAnyEngine("refresh_indeterminate_at", "app_connections");
}
