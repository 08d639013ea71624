using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plugboard.Server.Data;
using Plugboard.Server.Projects;

namespace Plugboard.Server.Flows;

internal sealed class FlowConfiguration : IEntityTypeConfiguration<Flow>
{
    public void Configure(EntityTypeBuilder<Flow> b)
    {
        b.ToTable("flows");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").HasMaxLength(Lengths.Id);
        b.Property(x => x.PlatformId).HasColumnName("platform_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.ProjectId).HasColumnName("project_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.DisplayName).HasColumnName("display_name").HasMaxLength(Lengths.Name);
        b.Property(x => x.Status).HasColumnName("status").HasMaxLength(Lengths.Enum).HasConversion<string>();
        b.Property(x => x.TriggerJson).HasColumnName("trigger_json");
        b.Property(x => x.StepsJson).HasColumnName("steps_json");
        b.Property(x => x.Version).HasColumnName("version").IsConcurrencyToken();
        b.Property(x => x.Created).HasColumnName("created");
        b.Property(x => x.Updated).HasColumnName("updated");
        b.HasIndex(x => new { x.PlatformId, x.ProjectId, x.Created, x.Id }).HasDatabaseName("ix_flows_platform_project_created");
        b.HasIndex(x => x.ProjectId).HasDatabaseName("ix_flows_project_id");
        b.HasOne<Project>().WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.ConnectionRefs).WithOne().HasForeignKey(x => x.FlowId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FlowConnectionRefConfiguration : IEntityTypeConfiguration<FlowConnectionRef>
{
    public void Configure(EntityTypeBuilder<FlowConnectionRef> b)
    {
        b.ToTable("flow_connection_refs");
        // The key leads with flow_id, so it is also the "refs of this flow" index.
        b.HasKey(x => new { x.FlowId, x.ExternalId });
        b.Property(x => x.FlowId).HasColumnName("flow_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.PlatformId).HasColumnName("platform_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.ProjectId).HasColumnName("project_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.ExternalId).HasColumnName("external_id").HasMaxLength(Lengths.ExternalId);
        b.HasIndex(x => new { x.PlatformId, x.ProjectId, x.ExternalId }).HasDatabaseName("ix_flow_connection_refs_project_external_id");
    }
}
