using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Bench;

/// The engine's plan for the list's query on page 1 and on the deep page, so a missed target can be
/// read off the plan. The LINQ mirrors AppConnectionsApi.List with no filters: the project's own
/// keyset window merged with the window of global connections shared with it.
internal static class QueryPlans
{
    public static async Task<string> ExplainAsync(BenchHost host, int pageSize, int deepPage, CancellationToken ct)
    {
        var (cursor, _) = await ListBench.DeepCursorAsync(host, (deepPage - 1) * pageSize, ct);
        var text = new StringBuilder();
        await AppendAsync(text, host, "page 1", new PageRequest(pageSize, null), ct);
        await AppendAsync(text, host, $"page {deepPage:N0}", new PageRequest(pageSize, cursor), ct);
        return text.ToString();
    }

    private static async Task AppendAsync(StringBuilder text, BenchHost host, string title, PageRequest page, CancellationToken ct)
    {
        await using var scope = host.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PlugboardDb>();
        var (platformId, projectId) = (host.Caller.PlatformId, host.ProjectId);
        var own = db.AppConnections.AsNoTracking()
            .Where(c => c.PlatformId == platformId && c.ScopeKey == projectId);
        var shared = db.AppConnections.AsNoTracking()
            .Where(c => c.PlatformId == platformId && c.ScopeKey == AppConnection.PlatformScopeKey && c.Projects.Any(l => l.ProjectId == projectId));
        var query = own.Seek(page).Concat(shared.Seek(page)).Seek(page);

        await db.Database.OpenConnectionAsync(ct);
        await using DbCommand command = query.CreateDbCommand();
        command.CommandText = (db.IsSqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ") + command.CommandText;
        text.AppendLine(title + ":");
        await using var reader = await command.ExecuteReaderAsync(ct);
        // SQLite: rows of (id, parent, notused, detail), a tree by parent id; PostgreSQL: lines of text.
        var depths = new Dictionary<long, int> { [0] = 0 };
        while (await reader.ReadAsync(ct))
        {
            var depth = 0;
            if (db.IsSqlite)
            {
                depth = depths.GetValueOrDefault(reader.GetInt64(1)) + 1;
                depths[reader.GetInt64(0)] = depth;
            }
            text.Append(' ', 2 + 2 * depth).AppendLine(reader.GetString(reader.FieldCount - 1));
        }
    }
}
