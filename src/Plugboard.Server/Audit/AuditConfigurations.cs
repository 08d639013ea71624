using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plugboard.Server.Data;

namespace Plugboard.Server.Audit;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> b)
    {
        b.ToTable("audit_events");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").HasMaxLength(Lengths.Id);
        b.Property(x => x.PlatformId).HasColumnName("platform_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.ProjectId).HasColumnName("project_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.Action).HasColumnName("action").HasMaxLength(Lengths.Name);
        b.Property(x => x.ActorType).HasColumnName("actor_type").HasMaxLength(Lengths.Enum);
        b.Property(x => x.ActorId).HasColumnName("actor_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.EntityType).HasColumnName("entity_type").HasMaxLength(Lengths.Enum);
        b.Property(x => x.EntityId).HasColumnName("entity_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.Details).HasColumnName("details");
        b.Property(x => x.Created).HasColumnName("created");
        b.HasIndex(x => new { x.PlatformId, x.Created, x.Id }).HasDatabaseName("ix_audit_events_platform_created");
    }
}
