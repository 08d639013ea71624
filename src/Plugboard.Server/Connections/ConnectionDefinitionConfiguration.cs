using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plugboard.Server.Data;

namespace Plugboard.Server.Connections;

internal sealed class ConnectionDefinitionConfiguration : IEntityTypeConfiguration<ConnectionDefinition>
{
    public void Configure(EntityTypeBuilder<ConnectionDefinition> b)
    {
        b.ToTable("connection_definitions");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").HasMaxLength(Lengths.Id);
        b.Property(x => x.PlatformId).HasColumnName("platform_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.StableKey).HasColumnName("stable_key").HasMaxLength(Lengths.StableKey);
        b.Property(x => x.DisplayName).HasColumnName("display_name").HasMaxLength(Lengths.Name);
        b.Property(x => x.PieceName).HasColumnName("piece_name").HasMaxLength(Lengths.Name);
        b.Property(x => x.PieceVersion).HasColumnName("piece_version").HasMaxLength(Lengths.Enum);
        b.Property(x => x.Type).HasColumnName("type").HasMaxLength(Lengths.Enum).HasConversion<string>();
        b.Property(x => x.Credentials).HasColumnName("credentials").HasMaxLength(Lengths.Enum).HasConversion<string>();
        b.Property(x => x.SuppliedBy).HasColumnName("supplied_by").HasMaxLength(Lengths.Enum).HasConversion<string>();
        b.Property(x => x.GlobalValues).HasColumnName("global_values");
        b.Property(x => x.GlobalValueKeys).HasColumnName("global_value_keys");
        b.Property(x => x.TestValue).HasColumnName("test_value");
        b.Property(x => x.Embedded).HasColumnName("embedded");
        b.Property(x => x.ProxyBaseUrl).HasColumnName("proxy_base_url").HasMaxLength(2000);
        b.Property(x => x.Status).HasColumnName("status").HasMaxLength(Lengths.Enum).HasConversion<string>();
        b.Property(x => x.Version).HasColumnName("version").IsConcurrencyToken();
        b.Property(x => x.Created).HasColumnName("created");
        b.Property(x => x.Updated).HasColumnName("updated");
        b.Ignore(x => x.Supplier);
        b.HasIndex(x => new { x.PlatformId, x.StableKey }).IsUnique().HasDatabaseName("ux_connection_definitions_platform_stable_key");
        b.HasIndex(x => new { x.PlatformId, x.Created, x.Id }).HasDatabaseName("ix_connection_definitions_platform_created");
    }
}
