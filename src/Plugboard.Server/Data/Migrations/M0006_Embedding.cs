using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Plugboard.Server.Data.Migrations;

/// Embedding: the SaaS's signing keys, users known by their external id, and project membership with a role.
[DbContext(typeof(PlugboardDb))]
[Migration("20261121000006_Embedding")]
public sealed class M0006_Embedding : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("signing_keys", t => new
        {
            id = t.Column<string>(maxLength: Lengths.Id),
            platform_id = t.Column<string>(maxLength: Lengths.Id),
            display_name = t.Column<string>(maxLength: Lengths.Name),
            public_key = t.Column<string>(maxLength: 8192),
            issuer = t.Column<string>(maxLength: Lengths.Name, nullable: true),
            audience = t.Column<string>(maxLength: Lengths.Name, nullable: true),
            created = t.Column<DateTime>(),
        }, constraints: t => t.PrimaryKey("pk_signing_keys", x => x.id));
        m.CreateIndex("ix_signing_keys_platform_created", "signing_keys", ["platform_id", "created", "id"]);

        m.AddColumn<string>("external_id", "users", maxLength: Lengths.ExternalId, nullable: true);
        m.CreateIndex("ux_users_platform_external_id", "users", ["platform_id", "external_id"], unique: true, filter: "external_id IS NOT NULL");

        m.CreateTable("project_members", t => new
        {
            project_id = t.Column<string>(maxLength: Lengths.Id),
            user_id = t.Column<string>(maxLength: Lengths.Id),
            platform_id = t.Column<string>(maxLength: Lengths.Id),
            role = t.Column<string>(maxLength: Lengths.Enum),
            created = t.Column<DateTime>(),
            updated = t.Column<DateTime>(),
        }, constraints: t =>
        {
            t.PrimaryKey("pk_project_members", x => new { x.project_id, x.user_id });
            t.ForeignKey("fk_project_members_project", x => x.project_id, "projects", "id", onDelete: ReferentialAction.Cascade);
            t.ForeignKey("fk_project_members_user", x => x.user_id, "users", "id", onDelete: ReferentialAction.Cascade);
        });
        m.CreateIndex("ix_project_members_user", "project_members", "user_id");
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropTable("project_members");
        m.DropIndex("ux_users_platform_external_id", "users");
        m.DropColumnOnAnyEngine("external_id", "users");
        m.DropTable("signing_keys");
    }
}
