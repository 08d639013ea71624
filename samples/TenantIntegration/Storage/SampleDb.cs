using Microsoft.EntityFrameworkCore;

namespace Plugboard.Samples.TenantIntegration.Storage;

/// The app's own rows, in one SQLite file under the data dir. Every query filters by TenantId.
public sealed class SampleDb(DbContextOptions<SampleDb> options) : DbContext(options)
{
    public DbSet<TenantIntegrationRow> Integrations => Set<TenantIntegrationRow>();
    public DbSet<TenantMcpServerRow> McpServers => Set<TenantMcpServerRow>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<TenantIntegrationRow>(e =>
        {
            e.ToTable("tenant_integrations");
            e.HasKey(r => r.TenantId);
            e.Property(r => r.TenantId).HasMaxLength(64);
            e.Property(r => r.IntegrationTenantId).HasMaxLength(36);
            e.HasIndex(r => r.IntegrationTenantId).IsUnique();
            e.Property(r => r.OrganizationId).HasMaxLength(64);
            e.Property(r => r.ProtectedApiKey).HasMaxLength(4096);
        });
        model.Entity<TenantMcpServerRow>(e =>
        {
            e.ToTable("tenant_mcp_servers");
            e.HasKey(r => r.ServerId);
            e.Property(r => r.ServerId).HasMaxLength(128);
            e.Property(r => r.TenantId).HasMaxLength(64);
            e.Property(r => r.ProjectId).HasMaxLength(128);
            e.HasIndex(r => new { r.TenantId, r.ProjectId });
        });
    }
}

/// A tenant's Plugboard integration: its API key, encrypted with Data Protection (never the key itself).
public sealed class TenantIntegrationRow
{
    public required string TenantId { get; init; }
    public required string IntegrationTenantId { get; init; }
    public string? OrganizationId { get; set; }
    public required string ProtectedApiKey { get; set; }
    public DateTime Created { get; init; }
    public DateTime Updated { get; set; }
}

/// An MCP server the tenant created through the sample: the record of whose it is. Plugboard's own reach (one key
/// may see every server of a platform) is not the boundary between tenants; this row is.
public sealed class TenantMcpServerRow
{
    public required string ServerId { get; init; }
    public required string TenantId { get; init; }
    public required string ProjectId { get; init; }
    public DateTime Created { get; init; }
}
