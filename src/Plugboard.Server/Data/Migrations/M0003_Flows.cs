using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Plugboard.Server.Data.Migrations;

/// Flows, and the index of the connection externalIds each one references (flowIds, the delete guard,
/// placeholders and replace all read it instead of parsing flow JSON).
[DbContext(typeof(PlugboardDb))]
[Migration("20261121000003_Flows")]
public sealed class M0003_Flows : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("flows", t => new
        {
            id = t.Column<string>(maxLength: Lengths.Id),
            platform_id = t.Column<string>(maxLength: Lengths.Id),
            project_id = t.Column<string>(maxLength: Lengths.Id),
            display_name = t.Column<string>(maxLength: Lengths.Name),
            status = t.Column<string>(maxLength: Lengths.Enum),
            trigger_json = t.Column<string>(),
            steps_json = t.Column<string>(),
            version = t.Column<long>(),
            created = t.Column<DateTime>(),
            updated = t.Column<DateTime>(),
        }, constraints: t =>
        {
            t.PrimaryKey("pk_flows", x => x.id);
            t.ForeignKey("fk_flows_project", x => x.project_id, "projects", "id", onDelete: ReferentialAction.Cascade);
        });
        m.CreateIndex("ix_flows_platform_project_created", "flows", ["platform_id", "project_id", "created", "id"]);

        m.CreateTable("flow_connection_refs", t => new
        {
            flow_id = t.Column<string>(maxLength: Lengths.Id),
            external_id = t.Column<string>(maxLength: Lengths.ExternalId),
            platform_id = t.Column<string>(maxLength: Lengths.Id),
            project_id = t.Column<string>(maxLength: Lengths.Id),
        }, constraints: t =>
        {
            // Leads with flow_id: it is also the index for "the refs of this flow".
            t.PrimaryKey("pk_flow_connection_refs", x => new { x.flow_id, x.external_id });
            t.ForeignKey("fk_flow_connection_refs_flow", x => x.flow_id, "flows", "id", onDelete: ReferentialAction.Cascade);
        });
        m.CreateIndex("ix_flow_connection_refs_project_external_id", "flow_connection_refs", ["platform_id", "project_id", "external_id"]);
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropTable("flow_connection_refs");
        m.DropTable("flows");
    }
}
