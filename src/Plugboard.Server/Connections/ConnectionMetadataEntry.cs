using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plugboard.Server.Data;
using Plugboard.Server.Data.Migrations;

namespace Plugboard.Server.Connections;

/// One top-level string value of a connection's metadata, for `?metadata.<key>=<value>` filters. Written only by
/// the database's triggers on app_connections (M0011); read-only here.
public sealed class ConnectionMetadataEntry
{
    public required string ConnectionId { get; init; }
    public required string PlatformId { get; init; }
    public required string Key { get; init; }
    public required string Value { get; init; }
}

internal sealed class ConnectionMetadataEntryConfiguration : IEntityTypeConfiguration<ConnectionMetadataEntry>
{
    public void Configure(EntityTypeBuilder<ConnectionMetadataEntry> b)
    {
        b.ToTable("app_connection_metadata");
        b.HasKey(x => new { x.ConnectionId, x.Key });
        b.Property(x => x.ConnectionId).HasColumnName("connection_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.PlatformId).HasColumnName("platform_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.Key).HasColumnName("key").HasMaxLength(M0011_ConnectionMetadata.MaxKeyLength);
        b.Property(x => x.Value).HasColumnName("value").HasMaxLength(M0011_ConnectionMetadata.MaxValueLength);
        b.HasIndex(x => new { x.PlatformId, x.Key, x.Value, x.ConnectionId }).HasDatabaseName("ix_app_connection_metadata_lookup");
        b.HasOne<AppConnection>().WithMany().HasForeignKey(x => x.ConnectionId)
            .HasConstraintName("fk_app_connection_metadata_connection").OnDelete(DeleteBehavior.Cascade);
    }
}
