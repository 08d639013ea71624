using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plugboard.Server.Data;

namespace Plugboard.Server.OAuth;

internal sealed class OAuthAppConfiguration : IEntityTypeConfiguration<OAuthApp>
{
    public void Configure(EntityTypeBuilder<OAuthApp> b)
    {
        b.ToTable("oauth_apps");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").HasMaxLength(Lengths.Id);
        b.Property(x => x.PlatformId).HasColumnName("platform_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.PieceName).HasColumnName("piece_name").HasMaxLength(Lengths.Name);
        b.Property(x => x.ClientId).HasColumnName("client_id").HasMaxLength(Lengths.Name);
        b.Property(x => x.ClientSecret).HasColumnName("client_secret");
        b.Property(x => x.Created).HasColumnName("created");
        b.Property(x => x.Updated).HasColumnName("updated");
        b.HasIndex(x => new { x.PlatformId, x.PieceName, x.ClientId }).IsUnique().HasDatabaseName("ux_oauth_apps_platform_piece_client");
        b.HasIndex(x => new { x.PlatformId, x.Created, x.Id }).HasDatabaseName("ix_oauth_apps_platform_created");
    }
}

internal sealed class PlatformOAuthProviderConfiguration : IEntityTypeConfiguration<PlatformOAuthProvider>
{
    public void Configure(EntityTypeBuilder<PlatformOAuthProvider> b)
    {
        b.ToTable("oauth_providers");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").HasMaxLength(Lengths.Id);
        b.Property(x => x.PlatformId).HasColumnName("platform_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.Name).HasColumnName("name").HasMaxLength(Lengths.Name);
        b.Property(x => x.Definition).HasColumnName("definition");
        b.Property(x => x.Created).HasColumnName("created");
        b.Property(x => x.Updated).HasColumnName("updated");
        b.HasIndex(x => new { x.PlatformId, x.Name }).IsUnique().HasDatabaseName("ux_oauth_providers_platform_name");
    }
}
