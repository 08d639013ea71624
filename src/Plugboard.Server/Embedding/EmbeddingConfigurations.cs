using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plugboard.Server.Data;
using Plugboard.Server.Projects;

namespace Plugboard.Server.Embedding;

internal sealed class SigningKeyConfiguration : IEntityTypeConfiguration<SigningKey>
{
    public void Configure(EntityTypeBuilder<SigningKey> b)
    {
        b.ToTable("signing_keys");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").HasMaxLength(Lengths.Id);
        b.Property(x => x.PlatformId).HasColumnName("platform_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.DisplayName).HasColumnName("display_name").HasMaxLength(Lengths.Name);
        b.Property(x => x.PublicKey).HasColumnName("public_key").HasMaxLength(SigningKeyPem.MaxLength);
        b.Property(x => x.Issuer).HasColumnName("issuer").HasMaxLength(Lengths.Name);
        b.Property(x => x.Audience).HasColumnName("audience").HasMaxLength(Lengths.Name);
        b.Property(x => x.Created).HasColumnName("created");
        b.HasIndex(x => new { x.PlatformId, x.Created, x.Id }).HasDatabaseName("ix_signing_keys_platform_created");
    }
}
