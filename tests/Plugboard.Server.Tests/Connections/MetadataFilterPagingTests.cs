using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Http;
using Plugboard.Server.Projects;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Connections;

/// A filtered list pages on the metadata index's keyset (M0012) yet answers exactly what the unfiltered list would
/// with the other tenants' rows taken out: the same rows in the same order, across pages cut through runs of equal
/// creation times, forwards and back, with the project's own and shared global connections merged.
public abstract class MetadataFilterPagingTests(AppFixture fixture)
{
    private static readonly DateTime Start = new(2031, 3, 4, 5, 6, 7, DateTimeKind.Utc);

    private readonly TestApp _app = fixture.App;
    private HttpClient Admin => _app.Client();

    private sealed record Listed(string ExternalId, string? TenantId);

    private sealed record Walk(List<Listed> Rows, string? LastPrevious);

    /// Every row following `next` to the end, and the last page's `previous`.
    private async Task<Walk> ForwardAsync(string path)
    {
        var (rows, cursor, previous) = (new List<Listed>(), (string?)null, (string?)null);
        do
        {
            var page = (await Admin.ApiGetAsync(path + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"))).AssertStatus(HttpStatusCode.OK).Body;
            rows.AddRange(Rows(page));
            (cursor, previous) = (Cursor(page, "next"), Cursor(page, "previous"));
        }
        while (cursor is not null);
        return new Walk(rows, previous);
    }

    /// Every row before the page `previous` came from, following `previous` to the start.
    private async Task<List<Listed>> BackwardAsync(string path, string? previous)
    {
        var rows = new List<Listed>();
        while (previous is not null)
        {
            var page = (await Admin.ApiGetAsync($"{path}&cursor={Uri.EscapeDataString(previous)}")).AssertStatus(HttpStatusCode.OK).Body;
            rows.InsertRange(0, Rows(page));
            previous = Cursor(page, "previous");
        }
        return rows;
    }

    private static IEnumerable<Listed> Rows(JsonElement page) => page.GetProperty("data").EnumerateArray().Select(c => new Listed(
        c.GetProperty("externalId").GetString()!,
        c.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object && m.TryGetProperty("tenantId", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()
            : null));

    private static string? Cursor(JsonElement page, string name) =>
        page.GetProperty(name).ValueKind == JsonValueKind.String ? page.GetProperty(name).GetString() : null;

    private static AppConnection Row(string platformId, string scopeKey, string externalId, int second, object metadata, params string[] projects)
    {
        var id = Ids.New();
        var created = Start.AddSeconds(second);
        var row = new AppConnection
        {
            Id = id, PlatformId = platformId, ExternalId = externalId,
            Scope = scopeKey == AppConnection.PlatformScopeKey ? ConnectionScope.Platform : ConnectionScope.Project, ScopeKey = scopeKey,
            DisplayName = externalId, PieceName = "@activepieces/piece-slack", Type = ConnectionType.SecretText, Status = ConnectionStatus.Active,
            Value = "v1:not-read:by-a-list", Version = 1, Created = created, Updated = created, Metadata = JsonSerializer.Serialize(metadata),
        };
        row.Projects.AddRange(projects.Select(p => new AppConnectionProject { ConnectionId = id, ProjectId = p, PlatformId = platformId }));
        return row;
    }

    /// A project's own rows in runs of four with one creation time, globals in runs of two on the same seconds (some shared
    /// with the project, some with another project only), and the other project's own rows, split between two tenants.
    private async Task<(string Project, string TenantA, string TenantB)> SeedAsync()
    {
        var (project, other) = (await Admin.CreateProjectAsync(), await Admin.CreateProjectAsync());
        var (a, b) = (Api.Unique("tenant-a"), Api.Unique("tenant-b"));
        await _app.WithDbAsync(async db =>
        {
            var platformId = await db.Projects.Where(p => p.Id == project).Select(p => p.PlatformId).SingleAsync();
            for (var i = 0; i < 40; i++)
            {
                db.Add(Row(platformId, project, $"own-{i:D2}", i / 4, new { tenantId = i % 3 == 0 ? b : a, parity = i % 2 == 0 ? "even" : "odd" }, project));
            }
            for (var i = 0; i < 16; i++)
            {
                db.Add(Row(platformId, AppConnection.PlatformScopeKey, $"{a}-global-{i:D2}", i / 2, new { tenantId = i % 3 == 1 ? b : a }, i % 4 == 3 ? [other] : [project, other]));
            }
            for (var i = 0; i < 6; i++)
            {
                db.Add(Row(platformId, other, $"other-{i}", i, new { tenantId = a, parity = "even" }, other));
            }
            return await db.SaveChangesAsync();
        });
        return (project, a, b);
    }

    private async Task AssertFilteredIsUnfilteredWithoutOthersAsync(string unfiltered, string filter, Func<Listed, bool> keep)
    {
        var expected = (await ForwardAsync($"{unfiltered}&limit=100")).Rows.Where(keep).ToList();
        Assert.NotEmpty(expected);

        var forward = await ForwardAsync($"{unfiltered}&limit=3{filter}");
        var backward = await BackwardAsync($"{unfiltered}&limit=3{filter}", forward.LastPrevious);

        Assert.Equal(expected, forward.Rows);
        var lastPage = expected.Count % 3 == 0 ? 3 : expected.Count % 3;
        Assert.Equal(expected.SkipLast(lastPage), backward);
    }

    [Fact]
    public async Task ProjectList_FilteredByTenant_IsTheUnfilteredListWithOnlyThatTenantForwardAndBack()
    {
        var (project, a, b) = await SeedAsync();
        var list = $"/api/v1/app-connections?projectId={project}";

        await AssertFilteredIsUnfilteredWithoutOthersAsync(list, $"&metadata.tenantId={a}", r => r.TenantId == a);
        await AssertFilteredIsUnfilteredWithoutOthersAsync(list, $"&metadata.tenantId={b}", r => r.TenantId == b);
        await AssertFilteredIsUnfilteredWithoutOthersAsync($"{list}&scope=PROJECT", $"&metadata.tenantId={a}", r => r.TenantId == a);
        await AssertFilteredIsUnfilteredWithoutOthersAsync($"{list}&scope=PLATFORM", $"&metadata.tenantId={a}", r => r.TenantId == a);
    }

    [Fact]
    public async Task ProjectList_TwoFiltersEitherOrder_AreTheUnfilteredListWithOnlyRowsMatchingBoth()
    {
        var (project, a, _) = await SeedAsync();
        var list = $"/api/v1/app-connections?projectId={project}";
        bool EvenOfA(Listed r) => r.TenantId == a && r.ExternalId.StartsWith("own-", StringComparison.Ordinal) && int.Parse(r.ExternalId[4..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0;

        await AssertFilteredIsUnfilteredWithoutOthersAsync(list, $"&metadata.tenantId={a}&metadata.parity=even", EvenOfA);
        await AssertFilteredIsUnfilteredWithoutOthersAsync(list, $"&metadata.parity=even&metadata.tenantId={a}", EvenOfA);
    }

    [Fact]
    public async Task GlobalList_FilteredByTenant_IsTheUnfilteredListWithOnlyThatTenantForwardAndBack()
    {
        var (_, a, b) = await SeedAsync();

        await AssertFilteredIsUnfilteredWithoutOthersAsync("/api/v1/global-connections?", $"&metadata.tenantId={a}", r => r.TenantId == a);
        await AssertFilteredIsUnfilteredWithoutOthersAsync("/api/v1/global-connections?", $"&metadata.tenantId={b}", r => r.TenantId == b);
    }
}

public sealed class MetadataFilterPagingSqliteTests(SqliteFixture fixture) : MetadataFilterPagingTests(fixture), IClassFixture<SqliteFixture>;

public sealed class MetadataFilterPagingPostgresTests(PostgresFixture fixture) : MetadataFilterPagingTests(fixture), IClassFixture<PostgresFixture>;
