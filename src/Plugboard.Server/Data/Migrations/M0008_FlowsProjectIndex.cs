using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Plugboard.Server.Data.Migrations;

/// The index on flows.project_id that the model has always described (its foreign key to projects) and no
/// migration built: deleting a project cascades to its flows through it instead of scanning every flow.
[DbContext(typeof(PlugboardDb))]
[Migration("20261130000008_FlowsProjectIndex")]
public sealed class M0008_FlowsProjectIndex : Migration
{
    protected override void Up(MigrationBuilder m) =>
        m.CreateIndex("ix_flows_project_id", "flows", "project_id");

    protected override void Down(MigrationBuilder m) =>
        m.DropIndex("ix_flows_project_id", "flows");
}
