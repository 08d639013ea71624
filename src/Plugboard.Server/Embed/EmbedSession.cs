using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plugboard.Server.Data;
using Plugboard.Server.Data.Migrations;

namespace Plugboard.Server.Embed;

/// The Connect screen's session in one popup: which embedded user in which project, the origin of the host page that
/// handed it over (where the result is posted back), and the user's session token (encrypted, bound to this row) that
/// the screen calls the API with. The id is the SHA-256 of the cookie's random token, which is stored nowhere.
public sealed class EmbedSession
{
    public required string Id { get; init; }
    public required string PlatformId { get; init; }
    public required string ProjectId { get; init; }
    public required string UserId { get; init; }
    public required string Origin { get; init; }
    public required string SessionToken { get; init; }
    public DateTime Created { get; init; }
    public DateTime Expires { get; init; }
}

internal sealed class EmbedSessionConfiguration : IEntityTypeConfiguration<EmbedSession>
{
    public void Configure(EntityTypeBuilder<EmbedSession> b)
    {
        b.ToTable("embed_sessions");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").HasMaxLength(Lengths.Hash);
        b.Property(x => x.PlatformId).HasColumnName("platform_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.ProjectId).HasColumnName("project_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.UserId).HasColumnName("user_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.Origin).HasColumnName("origin").HasMaxLength(M0014_EmbedConnect.MaxOriginLength);
        b.Property(x => x.SessionToken).HasColumnName("session_token").HasMaxLength(M0014_EmbedConnect.MaxSessionTokenLength);
        b.Property(x => x.Created).HasColumnName("created");
        b.Property(x => x.Expires).HasColumnName("expires");
        b.HasIndex(x => x.Expires).HasDatabaseName("ix_embed_sessions_expires");
    }
}

public static class EmbedSets
{
    extension(PlugboardDb db)
    {
        public DbSet<EmbedSession> EmbedSessions => db.Set<EmbedSession>();
    }
}
