using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Plugboard.Server.Data.Migrations;

/// The OAuth2 lifecycle: token schedule, status reason, refresh lease and failure bookkeeping on
/// connections; platform OAuth apps; platform-defined OAuth providers.
[DbContext(typeof(PlugboardDb))]
[Migration("20261121000002_OAuth")]
public sealed class M0002_OAuth : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.AddColumn<string>("status_reason", "app_connections", maxLength: Lengths.Reason, nullable: true);
        m.AddColumn<DateTime>("status_changed_at", "app_connections", nullable: true);
        m.AddColumn<DateTime>("expires_at", "app_connections", nullable: true);
        m.AddColumn<DateTime>("next_refresh_at", "app_connections", nullable: true);
        m.AddColumn<DateTime>("last_refreshed_at", "app_connections", nullable: true);
        m.AddColumn<string>("refresh_lease_owner", "app_connections", maxLength: Lengths.Id, nullable: true);
        m.AddColumn<DateTime>("refresh_lease_until", "app_connections", nullable: true);
        m.AddColumn<int>("refresh_failure_count", "app_connections", nullable: false, defaultValue: 0);
        m.AddColumn<int>("refresh_failure_days", "app_connections", nullable: false, defaultValue: 0);
        m.AddColumn<DateTime>("last_refresh_failure_at", "app_connections", nullable: true);
        m.CreateIndex("ix_app_connections_next_refresh_at", "app_connections", ["next_refresh_at"]);

        m.CreateTable("oauth_apps", t => new
        {
            id = t.Column<string>(maxLength: Lengths.Id),
            platform_id = t.Column<string>(maxLength: Lengths.Id),
            piece_name = t.Column<string>(maxLength: Lengths.Name),
            client_id = t.Column<string>(maxLength: Lengths.Name),
            client_secret = t.Column<string>(),
            created = t.Column<DateTime>(),
            updated = t.Column<DateTime>(),
        }, constraints: t => t.PrimaryKey("pk_oauth_apps", x => x.id));
        m.CreateIndex("ux_oauth_apps_platform_piece_client", "oauth_apps", ["platform_id", "piece_name", "client_id"], unique: true);
        m.CreateIndex("ix_oauth_apps_platform_created", "oauth_apps", ["platform_id", "created", "id"]);

        m.CreateTable("oauth_providers", t => new
        {
            id = t.Column<string>(maxLength: Lengths.Id),
            platform_id = t.Column<string>(maxLength: Lengths.Id),
            name = t.Column<string>(maxLength: Lengths.Name),
            definition = t.Column<string>(),
            created = t.Column<DateTime>(),
            updated = t.Column<DateTime>(),
        }, constraints: t => t.PrimaryKey("pk_oauth_providers", x => x.id));
        m.CreateIndex("ux_oauth_providers_platform_name", "oauth_providers", ["platform_id", "name"], unique: true);
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropTable("oauth_providers");
        m.DropTable("oauth_apps");
        m.DropIndex("ix_app_connections_next_refresh_at", "app_connections");
        foreach (var column in new[] { "status_reason", "status_changed_at", "expires_at", "next_refresh_at", "last_refreshed_at",
            "refresh_lease_owner", "refresh_lease_until", "refresh_failure_count", "refresh_failure_days", "last_refresh_failure_at" })
        {
            m.DropColumnOnAnyEngine(column, "app_connections");
        }
    }
}
