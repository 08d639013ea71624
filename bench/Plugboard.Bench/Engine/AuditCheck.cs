using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Plugboard.Bench.Refresh;

namespace Plugboard.Bench.Engine;

/// The audit trail of the run's reads: `connection.read` events of the project, and the reads they
/// stand for (a coalesced event carries a count in its details; one without stands for one read).
internal sealed record AuditFigures(long Served, int Events, long ReadsAudited, string? CountField, TimeSpan Waited, bool Truncated)
{
    public double Coverage => Served == 0 ? double.NaN : (double)ReadsAudited / Served;
}

internal static class AuditCheck
{
    public const string ReadAction = "connection.read";
    private const int MaxPages = 5000;
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Settled = TimeSpan.FromSeconds(3);

    /// Waits for the server's pending flushes: until the audited reads reach the served ones, or stop
    /// changing for a few seconds, or half a minute has passed.
    public static async Task<AuditFigures> CountAsync(HttpClient admin, string projectId, long served, CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        var last = await ReadAsync(admin, projectId, served, ct);
        var unchangedSince = Stopwatch.StartNew();
        while (last.ReadsAudited < served && waited.Elapsed < MaxWait && (unchangedSince.Elapsed < Settled || last.Events == 0))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
            var now = await ReadAsync(admin, projectId, served, ct);
            if (now.ReadsAudited != last.ReadsAudited || now.Events != last.Events)
            {
                unchangedSince.Restart();
            }
            last = now;
        }
        return last with { Waited = waited.Elapsed };
    }

    private static async Task<AuditFigures> ReadAsync(HttpClient admin, string projectId, long served, CancellationToken ct)
    {
        var (events, reads, pages) = (0, 0L, 0);
        string? countField = null;
        string? cursor = null;
        do
        {
            var page = await BenchApi.GetAsync(admin,
                $"/api/v1/audit-events?action={ReadAction}&projectId={Uri.EscapeDataString(projectId)}&limit=100" +
                (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"), ct);
            foreach (var row in page.GetProperty("data").EnumerateArray())
            {
                events++;
                var (count, field) = ReadsOf(row);
                reads += count;
                countField ??= field;
            }
            cursor = page.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null && ++pages < MaxPages);
        return new AuditFigures(served, events, reads, countField, TimeSpan.Zero, cursor is not null);
    }

    /// The first whole-number detail whose name says count (count, reads, readCount...), else 1.
    private static (long Count, string? Field) ReadsOf(JsonElement row)
    {
        if (row.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in details.EnumerateObject())
            {
                var name = property.Name.ToLower(CultureInfo.InvariantCulture);
                if ((name.Contains("count", StringComparison.Ordinal) || name == "reads") &&
                    property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt64(out var count))
                {
                    return (count, property.Name);
                }
            }
        }
        return (1, null);
    }
}
