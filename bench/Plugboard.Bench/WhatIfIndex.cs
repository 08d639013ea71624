using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;

namespace Plugboard.Bench;

/// The index the list's own-connections window could seek on, added to the bench database only
/// (never to the server's migrations) to show what it would change, then dropped again.
internal static class WhatIfIndex
{
    public const string Description = "an index on app_connections (platform_id, scope_key, created, id)";
    private const string Name = "ix_bench_what_if_scope_key_created";

    public static Task CreateAsync(BenchHost host, CancellationToken ct) =>
        ExecuteAsync(host, $"CREATE INDEX {Name} ON app_connections (platform_id, scope_key, created, id)", ct);

    public static Task DropAsync(BenchHost host, CancellationToken ct) => ExecuteAsync(host, $"DROP INDEX {Name}", ct);

    /// PostgreSQL's autovacuum would have analysed a table after a bulk fill like this one by the time
    /// it serves traffic; do it now so the plans do not depend on its timing. SQLite is left as the
    /// server leaves it (it never runs ANALYZE).
    public static async Task AnalyzeAsync(BenchHost host, CancellationToken ct)
    {
        await using var scope = host.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PlugboardDb>();
        if (!db.IsSqlite)
        {
            await db.Database.ExecuteSqlRawAsync("ANALYZE", ct);
        }
    }

    private static async Task ExecuteAsync(BenchHost host, string sql, CancellationToken ct)
    {
        await using var scope = host.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PlugboardDb>();
        await db.Database.ExecuteSqlRawAsync(sql, ct);
        if (!db.IsSqlite)
        {
            await db.Database.ExecuteSqlRawAsync("ANALYZE app_connections", ct);
        }
    }
}
