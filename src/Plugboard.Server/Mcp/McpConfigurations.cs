using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plugboard.Server.Data;
using Plugboard.Server.Projects;

namespace Plugboard.Server.Mcp;

internal sealed class McpServerConfiguration : IEntityTypeConfiguration<McpServer>
{
    public void Configure(EntityTypeBuilder<McpServer> b)
    {
        b.ToTable("mcp_servers");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").HasMaxLength(Lengths.Id);
        b.Property(x => x.PlatformId).HasColumnName("platform_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.ProjectId).HasColumnName("project_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.Name).HasColumnName("name").HasMaxLength(Lengths.Name);
        b.Property(x => x.ExternalId).HasColumnName("external_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.TokenHash).HasColumnName("token_hash").HasMaxLength(Lengths.Hash);
        b.Property(x => x.Tools).HasColumnName("tools");
        b.Property(x => x.Version).HasColumnName("version").IsConcurrencyToken();
        b.Property(x => x.Created).HasColumnName("created");
        b.Property(x => x.Updated).HasColumnName("updated");
        b.HasIndex(x => x.TokenHash).IsUnique().HasDatabaseName("ux_mcp_servers_token_hash");
        b.HasIndex(x => new { x.PlatformId, x.ProjectId, x.Created, x.Id }).HasDatabaseName("ix_mcp_servers_project_created");
        b.HasIndex(x => x.ProjectId).HasDatabaseName("ix_mcp_servers_project");
        b.HasOne<Project>().WithMany().HasForeignKey(x => x.ProjectId).HasConstraintName("fk_mcp_servers_project").OnDelete(DeleteBehavior.Cascade);
    }
}

public static class McpSets
{
    extension(PlugboardDb db)
    {
        public DbSet<McpServer> McpServers => db.Set<McpServer>();
    }
}
