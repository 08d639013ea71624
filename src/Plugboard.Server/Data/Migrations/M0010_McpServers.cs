using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Plugboard.Server.Data.Migrations;

/// MCP servers (seed 003): one project's named server, its tools, and its token's hash.
[DbContext(typeof(PlugboardDb))]
[Migration("20261130000010_McpServers")]
public sealed class M0010_McpServers : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("mcp_servers", t => new
        {
            id = t.Column<string>(maxLength: Lengths.Id),
            platform_id = t.Column<string>(maxLength: Lengths.Id),
            project_id = t.Column<string>(maxLength: Lengths.Id),
            name = t.Column<string>(maxLength: Lengths.Name),
            external_id = t.Column<string>(maxLength: Lengths.Id),
            token_hash = t.Column<string>(maxLength: Lengths.Hash),
            tools = t.Column<string>(),
            version = t.Column<long>(),
            created = t.Column<DateTime>(),
            updated = t.Column<DateTime>(),
        }, constraints: t =>
        {
            t.PrimaryKey("pk_mcp_servers", x => x.id);
            t.ForeignKey("fk_mcp_servers_project", x => x.project_id, "projects", "id", onDelete: ReferentialAction.Cascade);
        });
        m.CreateIndex("ux_mcp_servers_token_hash", "mcp_servers", "token_hash", unique: true);
        m.CreateIndex("ix_mcp_servers_project_created", "mcp_servers", ["platform_id", "project_id", "created", "id"]);
        m.CreateIndex("ix_mcp_servers_project", "mcp_servers", "project_id");
    }

    protected override void Down(MigrationBuilder m) => m.DropTable("mcp_servers");
}
