using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plugboard.Server.Data;
using Plugboard.Server.Data.Migrations;

namespace Plugboard.Server.Pages;

/// A signed-in console user. The id is the SHA-256 of the cookie's random token (the token itself is stored nowhere),
/// and the API key the pages act with is encrypted with the server's key ring, bound to this row: the key never
/// reaches a cookie, a page or the browser's storage.
public sealed class ConsoleSession
{
    public required string Id { get; init; }
    public string? PlatformId { get; init; }
    public bool IsOperator { get; init; }
    public required string ApiKey { get; init; }
    public DateTime Created { get; init; }
    public DateTime Expires { get; set; }
    public DateTime LastSeen { get; set; }
}

/// A Data Protection key (XML, encrypted with the server's key ring by <see cref="ConsoleKeyEncryptor"/>).
public sealed class DataProtectionKeyRow
{
    public required string Id { get; init; }
    public required string Xml { get; init; }
    public DateTime Created { get; init; }
}

internal sealed class ConsoleSessionConfiguration : IEntityTypeConfiguration<ConsoleSession>
{
    public void Configure(EntityTypeBuilder<ConsoleSession> b)
    {
        b.ToTable("console_sessions");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").HasMaxLength(Lengths.Hash);
        b.Property(x => x.PlatformId).HasColumnName("platform_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.IsOperator).HasColumnName("is_operator");
        b.Property(x => x.ApiKey).HasColumnName("api_key").HasMaxLength(Lengths.Reason);
        b.Property(x => x.Created).HasColumnName("created");
        b.Property(x => x.Expires).HasColumnName("expires");
        b.Property(x => x.LastSeen).HasColumnName("last_seen");
        b.HasIndex(x => x.Expires).HasDatabaseName("ix_console_sessions_expires");
    }
}

internal sealed class DataProtectionKeyRowConfiguration : IEntityTypeConfiguration<DataProtectionKeyRow>
{
    public void Configure(EntityTypeBuilder<DataProtectionKeyRow> b)
    {
        b.ToTable("data_protection_keys");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").HasMaxLength(Lengths.Id);
        b.Property(x => x.Xml).HasColumnName("xml").HasMaxLength(M0013_Console.MaxKeyXmlLength);
        b.Property(x => x.Created).HasColumnName("created");
    }
}

public static class ConsoleSets
{
    extension(PlugboardDb db)
    {
        public DbSet<ConsoleSession> ConsoleSessions => db.Set<ConsoleSession>();
        public DbSet<DataProtectionKeyRow> DataProtectionKeys => db.Set<DataProtectionKeyRow>();
    }
}
