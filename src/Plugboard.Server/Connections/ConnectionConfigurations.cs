using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plugboard.Server.Data;
using Plugboard.Server.Platform;
using Plugboard.Server.Projects;

namespace Plugboard.Server.Connections;

internal sealed class AppConnectionConfiguration : IEntityTypeConfiguration<AppConnection>
{
    public void Configure(EntityTypeBuilder<AppConnection> b)
    {
        // The metadata triggers (M0011): declared so EF does not read its writes back with RETURNING, which SQLite
        // does not allow on a table with triggers.
        b.ToTable("app_connections", t =>
        {
            t.HasTrigger("tr_app_connections_metadata_insert");
            t.HasTrigger("tr_app_connections_metadata_update");
            t.HasTrigger("tr_app_connections_metadata");
        });
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
        b.Property(x => x.DefinitionId).HasColumnName("definition_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.Embedded).HasColumnName("embedded");
        b.HasIndex(x => x.DefinitionId).HasDatabaseName("ix_app_connections_definition");
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
