using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Bench;

/// The engine's plan for the list's query on page 1, on the deep page, and on page 1 filtered to a tenant, so a missed
/// target can be read off the plan. The query is the server's own (ConnectionWindows, as AppConnectionsApi.List merges
/// them): the project's own keyset window merged with the window of global connections shared with it.
internal static class QueryPlans
{
    public static async Task<string> ExplainAsync(BenchHost host, int pageSize, int deepPage, CancellationToken ct)
    {
        var (cursor, _) = await ListBench.DeepCursorAsync(host, (deepPage - 1) * pageSize, ct);
        var text = new StringBuilder();
        await AppendAsync(text, host, "page 1", new PageRequest(pageSize, null), Unfiltered, ct);
        await AppendAsync(text, host, $"page {deepPage:N0}", new PageRequest(pageSize, cursor), Unfiltered, ct);
        await AppendAsync(text, host, $"page 1, metadata.tenantId={BenchRows.CommonTenant}", new PageRequest(pageSize, null), Tenant(BenchRows.CommonTenant), ct);
        await AppendAsync(text, host, $"page 1, metadata.tenantId={BenchRows.RareTenant}", new PageRequest(pageSize, null), Tenant(BenchRows.RareTenant), ct);
        return text.ToString();
    }

    private static readonly ConnectionFilters Unfiltered = new(null, null, [], null, null, []);

    private static ConnectionFilters Tenant(string tenant) => Unfiltered with { Metadata = [KeyValuePair.Create("tenantId", tenant)] };

    private static async Task AppendAsync(StringBuilder text, BenchHost host, string title, PageRequest page, ConnectionFilters filters, CancellationToken ct)
    {
        await using var scope = host.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PlugboardDb>();
        var own = db.Window(host.Caller, host.ProjectId, sharedWith: null, filters, page);
        var shared = db.Window(host.Caller, AppConnection.PlatformScopeKey, sharedWith: host.ProjectId, filters, page);
        var query = own.Concat(shared).Seek(page);

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
