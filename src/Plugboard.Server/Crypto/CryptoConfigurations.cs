using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plugboard.Server.Data;

namespace Plugboard.Server.Crypto;

internal sealed class KeyCanaryConfiguration : IEntityTypeConfiguration<KeyCanary>
{
    public void Configure(EntityTypeBuilder<KeyCanary> b)
    {
        b.ToTable("key_canaries");
        b.HasKey(x => x.KeyId);
        b.Property(x => x.KeyId).HasColumnName("key_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.Check).HasColumnName("check_value");
        b.Property(x => x.Created).HasColumnName("created");
    }
}
