using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Connections;

/// The metadata index's copy of each connection's keyset (M0012): every write path leaves each entry with its
/// connection's scope_key and created, which the filtered list seeks on.
public abstract class MetadataFilterKeysetTests(AppFixture fixture)
{
    private readonly TestApp _app = fixture.App;
    private HttpClient Admin => _app.Client();

    private sealed record Entry(string Key, string Value, string ScopeKey, DateTime Created);

    /// The connection's entries, with the keyset they should carry: the connection's own.
    private Task<(List<Entry> Entries, string ScopeKey, DateTime Created)> EntriesAsync(string connectionId) => _app.WithDbAsync(async db =>
    {
        var connection = await db.AppConnections.AsNoTracking().SingleAsync(c => c.Id == connectionId);
        var entries = await db.Set<ConnectionMetadataEntry>().AsNoTracking().Where(m => m.ConnectionId == connectionId)
            .OrderBy(m => m.Key).Select(m => new Entry(m.Key, m.Value, m.ScopeKey, m.Created)).ToListAsync();
        return (entries, connection.ScopeKey, connection.Created);
    });

    private async Task AssertEntriesAsync(string connectionId, params (string Key, string Value)[] expected)
    {
        var (entries, scopeKey, created) = await EntriesAsync(connectionId);
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new Entry(e.Key, e.Value, scopeKey, created)), entries);
    }

    private async Task<string> UpsertAsync(string projectId, string externalId, object metadata)
    {
        var body = JsonSerializer.SerializeToNode(Api.SecretText(projectId, externalId, "s"))!.AsObject();
        body["metadata"] = JsonSerializer.SerializeToNode(metadata);
        return (await Admin.ApiPostAsync("/api/v1/app-connections", body)).Str("id");
    }

    [Fact]
    public async Task ProjectConnection_InsertUpdateAndUpsert_EveryEntryCarriesItsScopeAndCreated()
    {
        var projectId = await Admin.CreateProjectAsync();
        var id = await UpsertAsync(projectId, "keyset", new { tenantId = "t-1", region = "eu" });
        await AssertEntriesAsync(id, ("region", "eu"), ("tenantId", "t-1"));

        (await Admin.ApiPostAsync($"/api/v1/app-connections/{id}", new { metadata = new { tenantId = "t-2" } })).AssertStatus(HttpStatusCode.OK);
        await AssertEntriesAsync(id, ("tenantId", "t-2"));

        Assert.Equal(id, await UpsertAsync(projectId, "keyset", new { tenantId = "t-3", tier = "gold" }));
        await AssertEntriesAsync(id, ("tenantId", "t-3"), ("tier", "gold"));

        (await Admin.ApiPostAsync($"/api/v1/app-connections/{id}", new { displayName = "Renamed" })).AssertStatus(HttpStatusCode.OK);
        await AssertEntriesAsync(id, ("tenantId", "t-3"), ("tier", "gold"));
    }

    [Fact]
    public async Task GlobalConnection_CreateAndUpdate_EveryEntryCarriesThePlatformScope()
    {
        var projectId = await Admin.CreateProjectAsync();
        var body = JsonSerializer.SerializeToNode(Api.Global(Api.Unique("keyset-global"), [projectId], "g"))!.AsObject();
        body["metadata"] = JsonSerializer.SerializeToNode(new { tenantId = "t-1" });
        var id = (await Admin.ApiPostAsync("/api/v1/global-connections", body)).AssertStatus(HttpStatusCode.Created).Str("id");
        await AssertEntriesAsync(id, ("tenantId", "t-1"));
        Assert.Equal(AppConnection.PlatformScopeKey, (await EntriesAsync(id)).ScopeKey);

        (await Admin.ApiPostAsync($"/api/v1/global-connections/{id}", new { metadata = new { tenantId = "t-2", region = "us" } })).AssertStatus(HttpStatusCode.OK);
        await AssertEntriesAsync(id, ("region", "us"), ("tenantId", "t-2"));
    }

    /// No writer changes a connection's scope or creation time; if one ever did, its entries would follow.
    [Fact]
    public async Task ScopeOrCreatedChangedInTheDatabase_TheEntriesFollow()
    {
        var projectId = await Admin.CreateProjectAsync();
        var id = await UpsertAsync(projectId, "moved", new { tenantId = "t-1" });
        var earlier = new DateTime(2020, 5, 6, 7, 8, 9, DateTimeKind.Utc);

        await _app.WithDbAsync(db => db.AppConnections.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Created, earlier)));
        await AssertEntriesAsync(id, ("tenantId", "t-1"));
        Assert.Equal(earlier, (await EntriesAsync(id)).Created);
    }
}

public sealed class MetadataFilterKeysetSqliteTests(SqliteFixture fixture) : MetadataFilterKeysetTests(fixture), IClassFixture<SqliteFixture>;

public sealed class MetadataFilterKeysetPostgresTests(PostgresFixture fixture) : MetadataFilterKeysetTests(fixture), IClassFixture<PostgresFixture>;
