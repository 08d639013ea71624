using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plugboard.Server.Data;
using Plugboard.Server.Data.Migrations;

namespace Plugboard.Server.Connections;

/// One top-level string value of a connection's metadata, for `?metadata.<key>=<value>` filters. Written only by
/// the database's triggers on app_connections (M0011, M0012); read-only here.
public sealed class ConnectionMetadataEntry
{
    public required string ConnectionId { get; init; }
    public required string PlatformId { get; init; }
    public required string Key { get; init; }
    public required string Value { get; init; }

    /// The connection's scope key and creation time (M0012), which never change: the list's keyset, so a filtered page
    /// walks one value's entries in page order instead of every connection of the project.
    public required string ScopeKey { get; init; }
    public required DateTime Created { get; init; }
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
        b.Property(x => x.ScopeKey).HasColumnName("scope_key").HasMaxLength(Lengths.Id);
        b.Property(x => x.Created).HasColumnName("created");
        b.HasIndex(x => new { x.PlatformId, x.Key, x.Value, x.ScopeKey, x.Created, x.ConnectionId }).HasDatabaseName(M0012_ConnectionMetadataKeyset.PageIndex);
        b.HasOne<AppConnection>().WithMany().HasForeignKey(x => x.ConnectionId)
            .HasConstraintName("fk_app_connection_metadata_connection").OnDelete(DeleteBehavior.Cascade);
    }
}
