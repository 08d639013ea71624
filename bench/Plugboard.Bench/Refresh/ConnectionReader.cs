using System.Globalization;
using System.Text.Json;

namespace Plugboard.Bench.Refresh;

/// A connection as the API lists it after the run.
internal sealed record ConnectionState(string Id, string Status, string? StatusReason, DateTime? ExpiresAt, DateTime? NextRefreshAt);

/// Reads the whole project (or its connections in one status) back through the list route, a page of
/// 100 at a time, cursor to cursor.
internal static class ConnectionReader
{
    private const int PageSize = 100;

    public static async Task<Dictionary<string, ConnectionState>> ReadAllAsync(HttpClient http, string projectId, CancellationToken ct, string? status = null)
    {
        var states = new Dictionary<string, ConnectionState>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var query = $"/api/v1/app-connections?projectId={Uri.EscapeDataString(projectId)}&limit={PageSize.ToString(CultureInfo.InvariantCulture)}" +
                (status is null ? "" : $"&status={status}") + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var page = await BenchApi.GetAsync(http, query, ct);
            foreach (var row in page.GetProperty("data").EnumerateArray())
            {
                var id = row.GetProperty("id").GetString()!;
                states[id] = new ConnectionState(
                    id,
                    row.GetProperty("status").GetString()!,
                    row.TryGetProperty("statusReason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null,
                    BenchApi.Time(row, "expiresAt"),
                    BenchApi.Time(row, "nextRefreshAt"));
            }
            cursor = page.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
        return states;
    }
}
