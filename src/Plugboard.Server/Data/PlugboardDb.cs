using Microsoft.EntityFrameworkCore;

namespace Plugboard.Server.Data;

/// The one context. Each feature folder adds its tables as extension properties (`ConnectionSets`, `FlowSets`, …)
/// and its configurations beside its entities, so this file names no feature.
public sealed class PlugboardDb(DbContextOptions<PlugboardDb> options) : DbContext(options)
{
    public bool IsSqlite => Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite";

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PlugboardDb).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite hands DateTime back unspecified; every timestamp here is UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }
}
