using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Plugboard.Server.Data.Migrations;

/// The embeddable Connect screen (issue 16): each platform's allowed embedding origins, and the short-lived sessions
/// the screen runs on (the embedded user's session token inside, encrypted; the row found by its cookie's SHA-256).
[DbContext(typeof(PlugboardDb))]
[Migration("20261204000014_EmbedConnect")]
public sealed class M0014_EmbedConnect : Migration
{
    public const int MaxSessionTokenLength = 4000;
    public const int MaxOriginLength = Lengths.Name;
    public const int MaxAllowedOrigins = 20;
    /// 20 origins of 255 characters, quoted and separated, in a JSON array.
    public const int MaxAllowedOriginsLength = MaxAllowedOrigins * (MaxOriginLength + 3) + 2;

    protected override void Up(MigrationBuilder m)
    {
        m.AddColumn<string>("allowed_origins", "platforms", maxLength: MaxAllowedOriginsLength, nullable: false, defaultValue: "[]");

        m.CreateTable("embed_sessions", t => new
        {
            id = t.Column<string>(maxLength: Lengths.Hash),
            platform_id = t.Column<string>(maxLength: Lengths.Id),
            project_id = t.Column<string>(maxLength: Lengths.Id),
            user_id = t.Column<string>(maxLength: Lengths.Id),
            origin = t.Column<string>(maxLength: MaxOriginLength),
            session_token = t.Column<string>(maxLength: MaxSessionTokenLength),
            created = t.Column<DateTime>(),
            expires = t.Column<DateTime>(),
        }, constraints: t => t.PrimaryKey("pk_embed_sessions", x => x.id));
        m.CreateIndex("ix_embed_sessions_expires", "embed_sessions", "expires");
    }

    protected override void Down(MigrationBuilder m)
    {
        m.DropTable("embed_sessions");
        m.DropColumnOnAnyEngine("allowed_origins", "platforms");
    }
}
