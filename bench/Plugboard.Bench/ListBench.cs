using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Bench;

internal sealed record Latency(double P50Ms, double P99Ms)
{
    public static Latency Of(List<double> samplesMs)
    {
        samplesMs.Sort();
        return new Latency(Percentile(samplesMs, 0.50), Percentile(samplesMs, 0.99));
    }

    /// Nearest rank: the smallest sample with at least p of all samples at or below it.
    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

internal sealed record ListResult(int Rows, int DeepPage, Latency FirstPage, Latency DeepPageLatency, TenantFilterResult Tenants)
{
    public double P50Ratio => DeepPageLatency.P50Ms / FirstPage.P50Ms;
}

/// Page 1 read from the database every time (an unused `fresh` parameter defeats the server's remembered pages):
/// unfiltered, filtered to a tenant holding 1 % of the rows, and to one holding a handful (`metadata.tenantId`).
internal sealed record TenantFilterResult(Latency Unfiltered, Latency Tenant, Latency RareTenant)
{
    public double TenantRatio => Tenant.P50Ms / Unfiltered.P50Ms;
    public double RareRatio => RareTenant.P50Ms / Unfiltered.P50Ms;
}

/// GET /api/v1/app-connections through real HTTP: page 1, and the deep page reached by the cursor
/// a client would hold after paging there. Requests alternate between the two, one at a time.
internal static class ListBench
{
    public static async Task<ListResult> RunAsync(BenchHost host, ServerProcess server, BenchOptions options, CancellationToken ct)
    {
        var rows = await host.CountConnectionsAsync();
        var deepPage = options.EffectiveDeepPage;
        var (deepCursor, expectedFirstId) = await DeepCursorAsync(host, (deepPage - 1) * options.PageSize, ct);
        var cursor = deepCursor?.Encode();

        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.AdminKey);
        var firstUrl = new Uri(
            $"/api/v1/app-connections?projectId={host.ProjectId}&limit={options.PageSize.ToString(CultureInfo.InvariantCulture)}", UriKind.Relative);
        var deepUrl = cursor is null ? firstUrl : new Uri($"{firstUrl}&cursor={Uri.EscapeDataString(cursor)}", UriKind.Relative);

        await CheckPageAsync(http, firstUrl, options.PageSize, expectedFirstId: null, ct);
        await CheckPageAsync(http, deepUrl, options.PageSize, expectedFirstId, ct);

        for (var i = 0; i < options.WarmupRequests; i++)
        {
            await TimeAsync(http, firstUrl, ct);
            await TimeAsync(http, deepUrl, ct);
        }
        List<double> first = [], deep = [];
        for (var i = 0; i < options.Requests; i++)
        {
            first.Add(await TimeAsync(http, firstUrl, ct));
            deep.Add(await TimeAsync(http, deepUrl, ct));
        }
        return new ListResult(rows, deepPage, Latency.Of(first), Latency.Of(deep), await TenantsAsync(http, firstUrl, options, ct));
    }

    private static async Task<TenantFilterResult> TenantsAsync(HttpClient http, Uri firstUrl, BenchOptions options, CancellationToken ct)
    {
        var fresh = 0;
        Uri Fresh(string filter) => new($"{firstUrl}{filter}&fresh={++fresh}", UriKind.Relative);
        var (tenant, rare) = ($"&metadata.tenantId={BenchRows.CommonTenant}", $"&metadata.tenantId={BenchRows.RareTenant}");
        await CheckTenantPageAsync(http, Fresh(tenant), BenchRows.CommonTenant, ct);
        await CheckTenantPageAsync(http, Fresh(rare), BenchRows.RareTenant, ct);
        for (var i = 0; i < options.WarmupRequests; i++)
        {
            await TimeAsync(http, Fresh(""), ct);
            await TimeAsync(http, Fresh(tenant), ct);
            await TimeAsync(http, Fresh(rare), ct);
        }
        List<double> all = [], common = [], few = [];
        for (var i = 0; i < options.Requests; i++)
        {
            all.Add(await TimeAsync(http, Fresh(""), ct));
            common.Add(await TimeAsync(http, Fresh(tenant), ct));
            few.Add(await TimeAsync(http, Fresh(rare), ct));
        }
        return new TenantFilterResult(Latency.Of(all), Latency.Of(common), Latency.Of(few));
    }

    /// Every row of the page is the tenant's, and the page is not empty.
    private static async Task CheckTenantPageAsync(HttpClient http, Uri url, string tenant, CancellationToken ct)
    {
        using var response = await http.GetAsync(url, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        using var json = JsonDocument.Parse(body);
        var data = response.IsSuccessStatusCode ? json.RootElement.GetProperty("data") : default;
        if (!response.IsSuccessStatusCode || data.GetArrayLength() == 0 ||
            data.EnumerateArray().Any(c => c.GetProperty("metadata").GetProperty("tenantId").GetString() != tenant))
        {
            throw new InvalidOperationException($"GET {url} should answer a page of {tenant}'s connections only: {body[..Math.Min(body.Length, 300)]}");
        }
    }

    /// The cursor after the row at 0-based position `skipped - 1` in list order (created, id), as the
    /// server would have issued it as page (skipped / limit)'s "next"; and the id the page must start with.
    public static async Task<(Cursor? Cursor, string? FirstId)> DeepCursorAsync(BenchHost host, int skipped, CancellationToken ct)
    {
        if (skipped == 0)
        {
            return (null, null);
        }
        await using var scope = host.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PlugboardDb>();
        var around = await db.AppConnections.AsNoTracking()
            .Where(c => c.PlatformId == host.Caller.PlatformId && c.ScopeKey == host.ProjectId)
            .OrderBy(c => c.Created).ThenBy(c => c.Id)
            .Skip(skipped - 1)
            .Take(2)
            .Select(c => new { c.Created, c.Id })
            .ToListAsync(ct);
        if (around.Count < 2)
        {
            throw new InvalidOperationException($"The project holds fewer than {skipped + 1} connections.");
        }
        return (new Cursor(true, around[0].Created, around[0].Id), around[1].Id);
    }

    private static async Task CheckPageAsync(HttpClient http, Uri url, int pageSize, string? expectedFirstId, CancellationToken ct)
    {
        using var response = await http.GetAsync(url, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}: {body}");
        }
        using var json = JsonDocument.Parse(body);
        var data = json.RootElement.GetProperty("data");
        var firstId = data.GetArrayLength() > 0 ? data[0].GetProperty("id").GetString() : null;
        if (data.GetArrayLength() != pageSize || (expectedFirstId is not null && firstId != expectedFirstId))
        {
            throw new InvalidOperationException(
                $"GET {url} returned {data.GetArrayLength()} rows starting at {firstId}; expected {pageSize} starting at {expectedFirstId ?? "the first"}.");
        }
    }

    private static async Task<double> TimeAsync(HttpClient http, Uri url, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(url, ct);
        await response.Content.ReadAsByteArrayAsync(ct);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        response.EnsureSuccessStatusCode();
        return elapsed;
    }
}
