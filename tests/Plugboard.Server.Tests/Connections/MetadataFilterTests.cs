using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Connections;

/// `?metadata.<key>=<value>` on the connection lists (seed 003's tenants): the server finds a tenant's connections,
/// across every page, from the metadata index the database's triggers keep in step with every write.
public abstract class MetadataFilterTests(AppFixture fixture)
{
    private readonly TestApp _app = fixture.App;
    private HttpClient Admin => _app.Client();

    private async Task<string> ConnectAsync(string projectId, string externalId, object? metadata)
    {
        var body = JsonSerializer.SerializeToNode(Api.SecretText(projectId, externalId, "s"))!.AsObject();
        body["metadata"] = JsonSerializer.SerializeToNode(metadata);
        return (await Admin.ApiPostAsync("/api/v1/app-connections", body)).AssertStatus(HttpStatusCode.Created).Str("id");
    }

    /// Every externalId the list answers, following `next` to the end.
    private async Task<List<string>> AllAsync(string path)
    {
        var (found, cursor) = (new List<string>(), (string?)null);
        do
        {
            var page = (await Admin.ApiGetAsync(path + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"))).AssertStatus(HttpStatusCode.OK);
            found.AddRange(page.Body.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("externalId").GetString()!));
            cursor = page.Body.GetProperty("next").ValueKind == JsonValueKind.String ? page.Body.GetProperty("next").GetString() : null;
        }
        while (cursor is not null);
        return found;
    }

    [Fact]
    public async Task TwoTenantsInOneProject_EachFilterFindsExactlyItsOwnAcrossEveryPage()
    {
        var projectId = await Admin.CreateProjectAsync();
        var (a, b) = (Api.Unique("tenant-a"), Api.Unique("tenant-b"));
        var mine = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            var externalId = $"conn-{i:D2}";
            await ConnectAsync(projectId, externalId, new { tenantId = i % 3 == 0 ? a : b, organizationId = $"org-{i % 2}", appVersion = 7 });
            if (i % 3 == 0)
            {
                mine.Add(externalId);
            }
        }
        var global = Api.Unique("tenant-a-global");
        var globalBody = JsonSerializer.SerializeToNode(Api.Global(global, [projectId], "g"))!.AsObject();
        globalBody["metadata"] = JsonSerializer.SerializeToNode(new { tenantId = a });
        (await Admin.ApiPostAsync("/api/v1/global-connections", globalBody)).AssertStatus(HttpStatusCode.Created);

        var list = $"/api/v1/app-connections?projectId={projectId}&limit=3";
        Assert.Equal(mine.Append(global).Order(), (await AllAsync($"{list}&metadata.tenantId={a}")).Order());
        Assert.Equal(25 - mine.Count, (await AllAsync($"{list}&metadata.tenantId={b}")).Count);
        Assert.Equal(mine.Where(e => int.Parse(e[5..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0).Order(),
            (await AllAsync($"{list}&metadata.tenantId={a}&metadata.organizationId=org-0")).Order());
        Assert.Empty(await AllAsync($"{list}&metadata.tenantId={a}&scope=PLATFORM&metadata.organizationId=org-0"));
        // Exact string matches only: a number is not the string "7", a prefix is not the value.
        Assert.Empty(await AllAsync($"{list}&metadata.appVersion=7"));
        Assert.Empty(await AllAsync($"{list}&metadata.tenantId={a[..^1]}"));
        Assert.Equal([global], await AllAsync($"/api/v1/global-connections?limit=5&metadata.tenantId={a}"));
    }

    [Fact]
    public async Task MetadataChangedOrCleared_TheFilterFollowsItAndADeletedConnectionLeavesNoEntry()
    {
        var projectId = await Admin.CreateProjectAsync();
        var (a, b) = (Api.Unique("tenant-a"), Api.Unique("tenant-b"));
        var id = await ConnectAsync(projectId, "moving", new { tenantId = a });
        var list = $"/api/v1/app-connections?projectId={projectId}";

        (await Admin.ApiPostAsync($"/api/v1/app-connections/{id}", new { metadata = new { tenantId = b } })).AssertStatus(HttpStatusCode.OK);
        Assert.Empty(await AllAsync($"{list}&metadata.tenantId={a}"));
        Assert.Equal(["moving"], await AllAsync($"{list}&metadata.tenantId={b}"));

        // The upsert replaces the metadata too.
        await Admin.ApiPostAsync("/api/v1/app-connections", new
        {
            projectId, externalId = "moving", displayName = "Moving", pieceName = "@activepieces/piece-slack", type = "SECRET_TEXT",
            value = new { type = "SECRET_TEXT", secret_text = "s2" }, metadata = new { tenantId = a },
        });
        Assert.Equal(["moving"], await AllAsync($"{list}&metadata.tenantId={a}"));

        (await Admin.ApiPostAsync($"/api/v1/app-connections/{id}", new { metadata = new { }, displayName = "Cleared" })).AssertStatus(HttpStatusCode.OK);
        Assert.Empty(await AllAsync($"{list}&metadata.tenantId={a}"));

        await ConnectAsync(projectId, "gone", new { tenantId = a });
        var goneId = (await Admin.ApiGetAsync($"{list}&metadata.tenantId={a}")).Body.GetProperty("data")[0].GetProperty("id").GetString()!;
        (await Admin.ApiDeleteAsync($"/api/v1/app-connections/{goneId}")).AssertStatus(HttpStatusCode.NoContent);
        Assert.Equal(0, await _app.WithDbAsync(db => db.Set<ConnectionMetadataEntry>().CountAsync(m => m.ConnectionId == goneId)));
        Assert.Empty(await AllAsync($"{list}&metadata.tenantId={a}"));
    }

    [Theory]
    [InlineData("metadata.=x", "metadata.")]
    [InlineData("metadata.tenantId=VALUE_TOO_LONG", "metadata.tenantId")]
    [InlineData("ELEVEN_FILTERS", "metadata")]
    public async Task BadMetadataFilter_Is400NamingIt(string query, string field)
    {
        var projectId = await Admin.CreateProjectAsync();
        query = query.Replace("VALUE_TOO_LONG", new string('v', 513), StringComparison.Ordinal)
            .Replace("ELEVEN_FILTERS", string.Join('&', Enumerable.Range(0, 11).Select(i => $"metadata.k{i}=v")), StringComparison.Ordinal);

        (await Admin.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}&{query}")).AssertValidation(field);
    }
}

public sealed class MetadataFilterSqliteTests(SqliteFixture fixture) : MetadataFilterTests(fixture), IClassFixture<SqliteFixture>;

public sealed class MetadataFilterPostgresTests(PostgresFixture fixture) : MetadataFilterTests(fixture), IClassFixture<PostgresFixture>;
