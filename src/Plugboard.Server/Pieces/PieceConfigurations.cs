using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plugboard.Server.Data;

namespace Plugboard.Server.Pieces;

internal sealed class RegisteredPieceConfiguration : IEntityTypeConfiguration<RegisteredPiece>
{
    public void Configure(EntityTypeBuilder<RegisteredPiece> b)
    {
        b.ToTable("pieces");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").HasMaxLength(Lengths.Id);
        b.Property(x => x.PlatformId).HasColumnName("platform_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.Name).HasColumnName("name").HasMaxLength(Lengths.Name);
        b.Property(x => x.Version).HasColumnName("version").HasMaxLength(PieceRules.MaxVersionLength);
        b.Property(x => x.DisplayName).HasColumnName("display_name").HasMaxLength(Lengths.Name);
        b.Property(x => x.Metadata).HasColumnName("metadata");
        b.Property(x => x.Created).HasColumnName("created");
        b.Property(x => x.Updated).HasColumnName("updated");
        b.HasIndex(x => new { x.PlatformId, x.Name, x.Version }).IsUnique().HasDatabaseName("ux_pieces_platform_name_version");
    }
}
