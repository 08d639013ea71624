using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Plugboard.Server.Data.Migrations;

/// Hand-written (the EF design-time tools are not used here). Column types are left to the provider,
/// so this one migration creates the same schema on SQLite and PostgreSQL.
[DbContext(typeof(PlugboardDb))]
[Migration("20261121000001_Initial")]
public sealed class M0001_Initial : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("platforms", t => new
        {
            id = t.Column<string>(maxLength: Lengths.Id),
            name = t.Column<string>(maxLength: Lengths.Name),
            owner_id = t.Column<string>(maxLength: Lengths.Id),
            created = t.Column<DateTime>(),
        }, constraints: t => t.PrimaryKey("pk_platforms", x => x.id));

        m.CreateTable("users", t => new
        {
            id = t.Column<string>(maxLength: Lengths.Id),
            platform_id = t.Column<string>(maxLength: Lengths.Id),
            email = t.Column<string>(maxLength: Lengths.Name),
            first_name = t.Column<string>(maxLength: Lengths.Name),
            last_name = t.Column<string>(maxLength: Lengths.Name),
            platform_role = t.Column<string>(maxLength: Lengths.Enum),
            created = t.Column<DateTime>(),
        }, constraints: t => t.PrimaryKey("pk_users", x => x.id));
        m.CreateIndex("ux_users_platform_email", "users", ["platform_id", "email"], unique: true);

        m.CreateTable("projects", t => new
        {
            id = t.Column<string>(maxLength: Lengths.Id),
            platform_id = t.Column<string>(maxLength: Lengths.Id),
            owner_id = t.Column<string>(maxLength: Lengths.Id),
            display_name = t.Column<string>(maxLength: Lengths.Name),
            display_name_search = t.Column<string>(maxLength: Lengths.Name),
            external_id = t.Column<string>(maxLength: Lengths.ExternalId, nullable: true),
            metadata = t.Column<string>(nullable: true),
            created = t.Column<DateTime>(),
            updated = t.Column<DateTime>(),
        }, constraints: t => t.PrimaryKey("pk_projects", x => x.id));
        m.CreateIndex("ux_projects_platform_external_id", "projects", ["platform_id", "external_id"], unique: true);
        m.CreateIndex("ix_projects_platform_created", "projects", ["platform_id", "created", "id"]);

        m.CreateTable("api_keys", t => new
        {
            id = t.Column<string>(maxLength: Lengths.Id),
            platform_id = t.Column<string>(maxLength: Lengths.Id),
            project_id = t.Column<string>(maxLength: Lengths.Id, nullable: true),
            display_name = t.Column<string>(maxLength: Lengths.Name),
            hashed_value = t.Column<string>(maxLength: Lengths.Hash),
            truncated_value = t.Column<string>(maxLength: 8),
            created = t.Column<DateTime>(),
        }, constraints: t =>
        {
            t.PrimaryKey("pk_api_keys", x => x.id);
            t.ForeignKey("fk_api_keys_project", x => x.project_id, "projects", "id", onDelete: ReferentialAction.Cascade);
        });
        m.CreateIndex("ux_api_keys_hashed_value", "api_keys", "hashed_value", unique: true);
        m.CreateIndex("ix_api_keys_platform_created", "api_keys", ["platform_id", "created", "id"]);
        m.CreateIndex("ix_api_keys_project_id", "api_keys", "project_id");

        m.CreateTable("app_connections", t => new
        {
            id = t.Column<string>(maxLength: Lengths.Id),
            platform_id = t.Column<string>(maxLength: Lengths.Id),
            external_id = t.Column<string>(maxLength: Lengths.ExternalId),
            scope = t.Column<string>(maxLength: Lengths.Enum),
            scope_key = t.Column<string>(maxLength: Lengths.Id),
            display_name = t.Column<string>(maxLength: Lengths.Name),
            display_name_search = t.Column<string>(maxLength: Lengths.Name),
            piece_name = t.Column<string>(maxLength: Lengths.Name),
            piece_version = t.Column<string>(maxLength: Lengths.Enum, nullable: true),
            type = t.Column<string>(maxLength: Lengths.Enum),
            status = t.Column<string>(maxLength: Lengths.Enum),
            owner_id = t.Column<string>(maxLength: Lengths.Id, nullable: true),
            value = t.Column<string>(),
            metadata = t.Column<string>(nullable: true),
            pre_select_for_new_projects = t.Column<bool>(),
            version = t.Column<long>(),
            created = t.Column<DateTime>(),
            updated = t.Column<DateTime>(),
        }, constraints: t =>
        {
            t.PrimaryKey("pk_app_connections", x => x.id);
            t.ForeignKey("fk_app_connections_owner", x => x.owner_id, "users", "id", onDelete: ReferentialAction.SetNull);
        });
        m.CreateIndex("ux_app_connections_scope_external_id", "app_connections", ["platform_id", "scope_key", "external_id"], unique: true);
        m.CreateIndex("ix_app_connections_scope_key_created", "app_connections", ["platform_id", "scope_key", "created", "id"]);
        m.CreateIndex("ix_app_connections_owner_id", "app_connections", "owner_id");

        m.CreateTable("app_connection_projects", t => new
        {
            connection_id = t.Column<string>(maxLength: Lengths.Id),
            project_id = t.Column<string>(maxLength: Lengths.Id),
            platform_id = t.Column<string>(maxLength: Lengths.Id),
        }, constraints: t =>
        {
            t.PrimaryKey("pk_app_connection_projects", x => new { x.connection_id, x.project_id });
            t.ForeignKey("fk_app_connection_projects_connection", x => x.connection_id, "app_connections", "id", onDelete: ReferentialAction.Cascade);
            t.ForeignKey("fk_app_connection_projects_project", x => x.project_id, "projects", "id", onDelete: ReferentialAction.Cascade);
        });
        m.CreateIndex("ix_app_connection_projects_project", "app_connection_projects", "project_id");

        m.CreateTable("audit_events", t => new
        {
            id = t.Column<string>(maxLength: Lengths.Id),
            platform_id = t.Column<string>(maxLength: Lengths.Id),
            project_id = t.Column<string>(maxLength: Lengths.Id, nullable: true),
            action = t.Column<string>(maxLength: Lengths.Name),
            actor_type = t.Column<string>(maxLength: Lengths.Enum),
            actor_id = t.Column<string>(maxLength: Lengths.Id),
            entity_type = t.Column<string>(maxLength: Lengths.Enum),
            entity_id = t.Column<string>(maxLength: Lengths.Id),
            details = t.Column<string>(nullable: true),
            created = t.Column<DateTime>(),
        }, constraints: t => t.PrimaryKey("pk_audit_events", x => x.id));
        m.CreateIndex("ix_audit_events_platform_created", "audit_events", ["platform_id", "created", "id"]);

        m.CreateTable("key_canaries", t => new
        {
            key_id = t.Column<string>(maxLength: Lengths.Id),
            check_value = t.Column<string>(),
            created = t.Column<DateTime>(),
        }, constraints: t => t.PrimaryKey("pk_key_canaries", x => x.key_id));
    }

    protected override void Down(MigrationBuilder m)
    {
        foreach (var table in new[] { "key_canaries", "audit_events", "app_connection_projects", "app_connections", "api_keys", "projects", "users", "platforms" })
        {
            m.DropTable(table);
        }
    }
}
