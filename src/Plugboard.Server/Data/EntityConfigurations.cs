using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plugboard.Server.Audit;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Platform;
using Plugboard.Server.Projects;

namespace Plugboard.Server.Data;

/// Lengths shared by the model and the migrations, so the two cannot drift apart.
public static class Lengths
{
    public const int Id = 64;
    public const int Name = 255;
    public const int ExternalId = 255;
    public const int Enum = 32;
    public const int Hash = 64;
    public const int Reason = 500;
}

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

internal sealed class AppConnectionConfiguration : IEntityTypeConfiguration<AppConnection>
{
    public void Configure(EntityTypeBuilder<AppConnection> b)
    {
        b.ToTable("app_connections");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").HasMaxLength(Lengths.Id);
        b.Property(x => x.PlatformId).HasColumnName("platform_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.ExternalId).HasColumnName("external_id").HasMaxLength(Lengths.ExternalId);
        b.Property(x => x.Scope).HasColumnName("scope").HasMaxLength(Lengths.Enum).HasConversion<string>();
        b.Property(x => x.ScopeKey).HasColumnName("scope_key").HasMaxLength(Lengths.Id);
        b.Property(x => x.DisplayName).HasColumnName("display_name").HasMaxLength(Lengths.Name);
        b.Property(x => x.DisplayNameSearch).HasColumnName("display_name_search").HasMaxLength(Lengths.Name);
        b.Property(x => x.PieceName).HasColumnName("piece_name").HasMaxLength(Lengths.Name);
        b.Property(x => x.PieceVersion).HasColumnName("piece_version").HasMaxLength(Lengths.Enum);
        b.Property(x => x.Type).HasColumnName("type").HasMaxLength(Lengths.Enum).HasConversion<string>();
        b.Property(x => x.Status).HasColumnName("status").HasMaxLength(Lengths.Enum).HasConversion<string>();
        b.Property(x => x.OwnerId).HasColumnName("owner_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.Value).HasColumnName("value");
        b.Property(x => x.Metadata).HasColumnName("metadata");
        b.Property(x => x.PreSelectForNewProjects).HasColumnName("pre_select_for_new_projects");
        b.Property(x => x.Version).HasColumnName("version").IsConcurrencyToken();
        b.Property(x => x.Created).HasColumnName("created");
        b.Property(x => x.Updated).HasColumnName("updated");
        b.Property(x => x.StatusReason).HasColumnName("status_reason").HasMaxLength(Lengths.Reason);
        b.Property(x => x.StatusChangedAt).HasColumnName("status_changed_at");
        b.Property(x => x.ExpiresAt).HasColumnName("expires_at");
        b.Property(x => x.NextRefreshAt).HasColumnName("next_refresh_at");
        b.Property(x => x.LastRefreshedAt).HasColumnName("last_refreshed_at");
        b.Property(x => x.RefreshLeaseOwner).HasColumnName("refresh_lease_owner").HasMaxLength(Lengths.Id);
        b.Property(x => x.RefreshLeaseUntil).HasColumnName("refresh_lease_until");
        b.Property(x => x.RefreshFailureCount).HasColumnName("refresh_failure_count");
        b.Property(x => x.RefreshFailureDays).HasColumnName("refresh_failure_days");
        b.Property(x => x.LastRefreshFailureAt).HasColumnName("last_refresh_failure_at");
        b.Property(x => x.RefreshIndeterminateAt).HasColumnName("refresh_indeterminate_at");
        b.HasIndex(x => x.NextRefreshAt).HasDatabaseName("ix_app_connections_next_refresh_at");
        b.HasIndex(x => new { x.PlatformId, x.ScopeKey, x.ExternalId }).IsUnique().HasDatabaseName("ux_app_connections_scope_external_id");
        // Serves both list windows: a project's own rows (scope_key = project) and the globals (scope_key = '*').
        b.HasIndex(x => new { x.PlatformId, x.ScopeKey, x.Created, x.Id }).HasDatabaseName("ix_app_connections_scope_key_created");
        b.HasOne<User>().WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(x => x.Projects).WithOne().HasForeignKey(x => x.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AppConnectionProjectConfiguration : IEntityTypeConfiguration<AppConnectionProject>
{
    public void Configure(EntityTypeBuilder<AppConnectionProject> b)
    {
        b.ToTable("app_connection_projects");
        b.HasKey(x => new { x.ConnectionId, x.ProjectId });
        b.Property(x => x.ConnectionId).HasColumnName("connection_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.ProjectId).HasColumnName("project_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.PlatformId).HasColumnName("platform_id").HasMaxLength(Lengths.Id);
        b.HasIndex(x => x.ProjectId).HasDatabaseName("ix_app_connection_projects_project");
        b.HasOne<Project>().WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}

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
