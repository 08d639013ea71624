using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plugboard.Server.Data;

namespace Plugboard.Server.Projects;

internal sealed class ProjectConfiguration : IEntityTypeConfiguration<Project>
{
    public void Configure(EntityTypeBuilder<Project> b)
    {
        b.ToTable("projects");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").HasMaxLength(Lengths.Id);
        b.Property(x => x.PlatformId).HasColumnName("platform_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.OwnerId).HasColumnName("owner_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.DisplayName).HasColumnName("display_name").HasMaxLength(Lengths.Name);
        b.Property(x => x.DisplayNameSearch).HasColumnName("display_name_search").HasMaxLength(Lengths.Name);
        b.Property(x => x.ExternalId).HasColumnName("external_id").HasMaxLength(Lengths.ExternalId);
        b.Property(x => x.Metadata).HasColumnName("metadata");
        b.Property(x => x.Created).HasColumnName("created");
        b.Property(x => x.Updated).HasColumnName("updated");
        b.HasIndex(x => new { x.PlatformId, x.ExternalId }).IsUnique().HasDatabaseName("ux_projects_platform_external_id");
        b.HasIndex(x => new { x.PlatformId, x.Created, x.Id }).HasDatabaseName("ix_projects_platform_created");
    }
}
