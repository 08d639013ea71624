using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Audit;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Embedding;
using Plugboard.Server.Flows;
using Plugboard.Server.OAuth;
using Plugboard.Server.Pieces;
using Plugboard.Server.Platform;
using Plugboard.Server.Projects;

namespace Plugboard.Server.Data;

public sealed class PlugboardDb(DbContextOptions<PlugboardDb> options) : DbContext(options)
{
    public DbSet<PlatformEntity> Platforms => Set<PlatformEntity>();
    public DbSet<User> Users => Set<User>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<AppConnection> AppConnections => Set<AppConnection>();
    public DbSet<AppConnectionProject> AppConnectionProjects => Set<AppConnectionProject>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<KeyCanary> KeyCanaries => Set<KeyCanary>();
    public DbSet<OAuthApp> OAuthApps => Set<OAuthApp>();
    public DbSet<PlatformOAuthProvider> OAuthProviders => Set<PlatformOAuthProvider>();
    public DbSet<Flow> Flows => Set<Flow>();
    public DbSet<FlowConnectionRef> FlowConnectionRefs => Set<FlowConnectionRef>();
    public DbSet<RegisteredPiece> Pieces => Set<RegisteredPiece>();
    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();
    public DbSet<ProjectMember> ProjectMembers => Set<ProjectMember>();

    public bool IsSqlite => Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite";

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PlugboardDb).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite hands DateTime back unspecified; every timestamp here is UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }
}
