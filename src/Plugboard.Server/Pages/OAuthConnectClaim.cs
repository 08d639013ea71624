using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plugboard.Server.Data;

namespace Plugboard.Server.Pages;

/// A Connect flow's state redeemed at the callback: its SHA-256 (the state itself is stored nowhere) until the flow
/// would have expired anyway.
public sealed class OAuthConnectClaim
{
    public required string Id { get; init; }
    public DateTime Expires { get; init; }
}

internal sealed class OAuthConnectClaimConfiguration : IEntityTypeConfiguration<OAuthConnectClaim>
{
    public void Configure(EntityTypeBuilder<OAuthConnectClaim> b)
    {
        b.ToTable("oauth_connect_claims");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").HasMaxLength(Lengths.Hash);
        b.Property(x => x.Expires).HasColumnName("expires");
        b.HasIndex(x => x.Expires).HasDatabaseName("ix_oauth_connect_claims_expires");
    }
}

public static class OAuthConnectClaimSets
{
    extension(PlugboardDb db)
    {
        public DbSet<OAuthConnectClaim> OAuthConnectClaims => db.Set<OAuthConnectClaim>();
    }
}
