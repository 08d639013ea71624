using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Plugboard.Server.Data.Migrations;

/// Auth webhooks (issue 17): each platform's endpoints (the signing secret encrypted), the outbox of deliveries written
/// in the transaction of the change they report, and every attempt at one.
[DbContext(typeof(PlugboardDb))]
[Migration("20261205000015_Webhooks")]
public sealed class M0015_Webhooks : Migration
{
    public const int MaxUrlLength = 2048;
    public const int MaxPayloadLength = 8000;

    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("webhook_endpoints", t => new
        {
            id = t.Column<string>(maxLength: Lengths.Id),
            platform_id = t.Column<string>(maxLength: Lengths.Id),
            url = t.Column<string>(maxLength: MaxUrlLength),
            events = t.Column<string>(maxLength: Lengths.Name),
            secret = t.Column<string>(maxLength: Lengths.Reason),
            created = t.Column<DateTime>(),
        }, constraints: t => t.PrimaryKey("pk_webhook_endpoints", x => x.id));
        m.CreateIndex("ix_webhook_endpoints_platform_created", "webhook_endpoints", ["platform_id", "created", "id"]);

        m.CreateTable("webhook_deliveries", t => new
        {
            id = t.Column<string>(maxLength: Lengths.Id),
            platform_id = t.Column<string>(maxLength: Lengths.Id),
            endpoint_id = t.Column<string>(maxLength: Lengths.Id),
            event_type = t.Column<string>(maxLength: Lengths.Id),
            payload = t.Column<string>(maxLength: MaxPayloadLength),
            dedupe_key = t.Column<string>(maxLength: Lengths.Name, nullable: true),
            status = t.Column<string>(maxLength: Lengths.Enum),
            attempt_count = t.Column<int>(),
            next_attempt_at = t.Column<DateTime>(),
            lease_owner = t.Column<string>(maxLength: Lengths.Id, nullable: true),
            lease_until = t.Column<DateTime>(nullable: true),
            created = t.Column<DateTime>(),
            completed_at = t.Column<DateTime>(nullable: true),
        }, constraints: t => t.PrimaryKey("pk_webhook_deliveries", x => x.id));
        m.CreateIndex("ix_webhook_deliveries_due", "webhook_deliveries", ["status", "next_attempt_at"]);
        m.CreateIndex("ix_webhook_deliveries_endpoint_created", "webhook_deliveries", ["endpoint_id", "created", "id"]);
        m.CreateIndex("ux_webhook_deliveries_endpoint_dedupe", "webhook_deliveries", ["endpoint_id", "dedupe_key"], unique: true);

        m.CreateTable("webhook_attempts", t => new
        {
            id = t.Column<string>(maxLength: Lengths.Id),
            delivery_id = t.Column<string>(maxLength: Lengths.Id),
            platform_id = t.Column<string>(maxLength: Lengths.Id),
            attempted_at = t.Column<DateTime>(),
            http_status = t.Column<int>(nullable: true),
            error = t.Column<string>(maxLength: Lengths.Reason, nullable: true),
            succeeded = t.Column<bool>(),
        }, constraints: t => t.PrimaryKey("pk_webhook_attempts", x => x.id));
        m.CreateIndex("ix_webhook_attempts_delivery", "webhook_attempts", ["delivery_id", "attempted_at"]);
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropTable("webhook_attempts");
        m.DropTable("webhook_deliveries");
        m.DropTable("webhook_endpoints");
    }
}
