using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plugboard.Server.Data;
using Plugboard.Server.Projects;

namespace Plugboard.Server.Platform;

internal sealed class PlatformConfiguration : IEntityTypeConfiguration<PlatformEntity>
{
    public void Configure(EntityTypeBuilder<PlatformEntity> b)
    {
        b.ToTable("platforms");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").HasMaxLength(Lengths.Id);
        b.Property(x => x.Name).HasColumnName("name").HasMaxLength(Lengths.Name);
        b.Property(x => x.OwnerId).HasColumnName("owner_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.Created).HasColumnName("created");
        b.Property(x => x.DisabledAt).HasColumnName("disabled_at");
        b.Property(x => x.AllowedOrigins).HasColumnName("allowed_origins").HasMaxLength(Platform.AllowedOrigins.MaxStoredLength);
        b.HasIndex(x => new { x.Created, x.Id }).HasDatabaseName("ix_platforms_created");
    }
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.ToTable("users");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").HasMaxLength(Lengths.Id);
        b.Property(x => x.PlatformId).HasColumnName("platform_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.Email).HasColumnName("email").HasMaxLength(Lengths.Name);
        b.Property(x => x.FirstName).HasColumnName("first_name").HasMaxLength(Lengths.Name);
        b.Property(x => x.LastName).HasColumnName("last_name").HasMaxLength(Lengths.Name);
        b.Property(x => x.PlatformRole).HasColumnName("platform_role").HasMaxLength(Lengths.Enum).HasConversion<string>();
        b.Property(x => x.ExternalId).HasColumnName("external_id").HasMaxLength(Lengths.ExternalId);
        b.Property(x => x.Created).HasColumnName("created");
        b.HasIndex(x => new { x.PlatformId, x.Email }).IsUnique().HasDatabaseName("ux_users_platform_email");
        b.HasIndex(x => new { x.PlatformId, x.ExternalId }).IsUnique().HasDatabaseName("ux_users_platform_external_id").HasFilter("external_id IS NOT NULL");
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.ToTable("api_keys");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").HasMaxLength(Lengths.Id);
        b.Property(x => x.PlatformId).HasColumnName("platform_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.ProjectId).HasColumnName("project_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.DisplayName).HasColumnName("display_name").HasMaxLength(Lengths.Name);
        b.Property(x => x.HashedValue).HasColumnName("hashed_value").HasMaxLength(Lengths.Hash);
        b.Property(x => x.TruncatedValue).HasColumnName("truncated_value").HasMaxLength(8);
        b.Property(x => x.Created).HasColumnName("created");
        b.HasIndex(x => x.HashedValue).IsUnique().HasDatabaseName("ux_api_keys_hashed_value");
        b.HasIndex(x => new { x.PlatformId, x.Created, x.Id }).HasDatabaseName("ix_api_keys_platform_created");
        b.HasOne<Project>().WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ProjectMemberConfiguration : IEntityTypeConfiguration<ProjectMember>
{
    public void Configure(EntityTypeBuilder<ProjectMember> b)
    {
        b.ToTable("project_members");
        b.HasKey(x => new { x.ProjectId, x.UserId });
        b.Property(x => x.ProjectId).HasColumnName("project_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.UserId).HasColumnName("user_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.PlatformId).HasColumnName("platform_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.Role).HasColumnName("role").HasMaxLength(Lengths.Enum).HasConversion<string>();
        b.Property(x => x.Created).HasColumnName("created");
        b.Property(x => x.Updated).HasColumnName("updated");
        b.HasIndex(x => x.UserId).HasDatabaseName("ix_project_members_user");
        // Declared so EF inserts a new project and user before the membership naming them.
        b.HasOne<Project>().WithMany().HasForeignKey(x => x.ProjectId).HasConstraintName("fk_project_members_project").OnDelete(DeleteBehavior.Cascade);
        b.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).HasConstraintName("fk_project_members_user").OnDelete(DeleteBehavior.Cascade);
    }
}
