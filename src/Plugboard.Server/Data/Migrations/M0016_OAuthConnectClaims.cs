using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Plugboard.Server.Data.Migrations;

/// The Connect flow's states already redeemed at /oauth/callback, so a redirect that arrives twice (a double click, a
/// reload, a provider retrying) exchanges its code once across every replica: a provider may revoke the tokens of a
/// code it sees twice. Rows live as long as the flow could (ten minutes) and are swept by later callbacks.
[DbContext(typeof(PlugboardDb))]
[Migration("20261206000016_OAuthConnectClaims")]
public sealed class M0016_OAuthConnectClaims : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        m.CreateTable("oauth_connect_claims", t => new
        {
            id = t.Column<string>(maxLength: Lengths.Hash),
            expires = t.Column<DateTime>(),
        }, constraints: t => t.PrimaryKey("pk_oauth_connect_claims", x => x.id));
        m.CreateIndex("ix_oauth_connect_claims_expires", "oauth_connect_claims", "expires");
    }

    protected override void Down(MigrationBuilder m) => m.DropTable("oauth_connect_claims");
}
