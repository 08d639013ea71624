using System.Diagnostics;
using System.Net;
using Plugboard.Server.Tests.Engine;
using Plugboard.Server.Tests.Flows;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Server.Tests.Mcp;

namespace Plugboard.Server.Tests.Connections;

/// The list pages and the API keys a replica remembers are never stale past the contract: after a write on one
/// replica has answered, that replica's very next request sees it, and the other sees it within
/// <see cref="CrossReplicaBound"/>. Every page is warmed first on both replicas, so their caches are hot.
public abstract class ListStalenessTests(ReplicaPairFixture pair)
{
    private const int WarmReads = 5;
    private static readonly TimeSpan CrossReplicaBound = TimeSpan.FromSeconds(1) + TimeSpan.FromMilliseconds(500);

    private readonly HttpClient _adminA = pair.Client(pair.A);
    private readonly HttpClient _adminB = pair.Client(pair.B);

    [Fact]
    public async Task List_AfterUpsertRenameFlowAndDeleteOnA_ShowsEachOnAAtOnceAndOnBWithinOneSecond()
    {
        var projectId = await _adminA.CreateProjectAsync();
        var externalId = Api.Unique("listed");
        var id = (await _adminA.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, externalId, "s", displayName: "Before")))
            .AssertStatus(HttpStatusCode.Created).Str("id");
        var list = $"/api/v1/app-connections?projectId={projectId}&limit=10";
        await WarmAsync(list);

        (await _adminA.ApiPostAsync($"/api/v1/app-connections/{id}", new { displayName = "After" })).AssertStatus(HttpStatusCode.OK);
        await BothShowAsync(list, page => Rows(page).Single().GetProperty("displayName").GetString() == "After", "the rename");

        var flowId = await _adminA.CreateFlowAsync(projectId, "DISABLED", externalId);
        await BothShowAsync(list, page => Rows(page).Single().FlowIds().SequenceEqual([flowId]), "the flow using it");

        var second = (await _adminA.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, Api.Unique("second"), "s")))
            .AssertStatus(HttpStatusCode.Created).Str("id");
        await BothShowAsync(list, page => Rows(page).Count == 2, "a second connection");

        (await _adminA.ApiDeleteAsync($"/api/v1/app-connections/{second}")).AssertStatus(HttpStatusCode.NoContent);
        await BothShowAsync(list, page => Rows(page).Count == 1, "the delete");
    }

    [Fact]
    public async Task GlobalList_AfterShareAndUnshareOnA_ShowsEachOnAAtOnceAndOnBWithinOneSecond()
    {
        var (first, second) = (await _adminA.CreateProjectAsync(), await _adminA.CreateProjectAsync());
        var externalId = Api.Unique("global");
        var id = (await _adminA.ApiPostAsync("/api/v1/global-connections", Api.Global(externalId, [first], "g")))
            .AssertStatus(HttpStatusCode.Created).Str("id");
        var list = "/api/v1/global-connections?limit=100";
        await WarmAsync(list);

        (await _adminA.ApiPostAsync($"/api/v1/global-connections/{id}", new { projectIds = new[] { first, second } })).AssertStatus(HttpStatusCode.OK);
        await BothShowAsync(list, page => ProjectIdsOf(page, id) == 2, "the share with a second project");

        (await _adminA.ApiPostAsync($"/api/v1/global-connections/{id}", new { projectIds = new[] { second } })).AssertStatus(HttpStatusCode.OK);
        await BothShowAsync(list, page => ProjectIdsOf(page, id) == 1, "the un-share");
    }

    [Fact]
    public async Task ApiKey_DeletedOnA_RefusedOnAAtOnceAndOnBWithinOneSecond()
    {
        var projectId = await _adminA.CreateProjectAsync();
        var created = (await _adminA.ApiPostAsync("/api/v1/api-keys", new { displayName = "soon deleted", projectId })).AssertStatus(HttpStatusCode.Created);
        var (keyA, keyB) = (pair.Client(pair.A, created.Str("value")), pair.Client(pair.B, created.Str("value")));
        var list = $"/api/v1/app-connections?projectId={projectId}";
        for (var i = 0; i < WarmReads; i++)
        {
            (await keyA.ApiGetAsync(list)).AssertStatus(HttpStatusCode.OK);
            (await keyB.ApiGetAsync(list)).AssertStatus(HttpStatusCode.OK);
        }

        (await _adminA.ApiDeleteAsync($"/api/v1/api-keys/{created.Str("id")}")).AssertStatus(HttpStatusCode.NoContent);

        (await keyA.ApiGetAsync(list)).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        await TurnsAsync(() => keyB.ApiGetAsync(list), r => r.Status == HttpStatusCode.Unauthorized, "B's request with the key deleted on A");
    }

    /// MCP tokens are not cached at all: rotated or deleted on A, the old token is refused at once on both replicas.
    [Fact]
    public async Task McpToken_RotatedThenDeletedOnA_RefusedAtOnceOnAAndOnB()
    {
        var projectId = await _adminA.CreateProjectAsync();
        var created = (await _adminA.ApiPostAsync("/api/v1/mcp-servers", new { name = "agent", projectId })).AssertStatus(HttpStatusCode.Created);
        var token = created.Str("token");
        foreach (var replica in new[] { pair.A, pair.B })
        {
            (await pair.Client(replica, token).RawListToolsAsync()).AssertStatus(HttpStatusCode.OK);
        }

        var rotated = (await _adminA.ApiPostAsync($"/api/v1/mcp-servers/{created.Str("id")}/rotate", new { })).AssertStatus(HttpStatusCode.OK).Str("token");
        foreach (var replica in new[] { pair.A, pair.B })
        {
            (await pair.Client(replica, token).RawListToolsAsync()).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
            (await pair.Client(replica, rotated).RawListToolsAsync()).AssertStatus(HttpStatusCode.OK);
        }

        (await _adminA.ApiDeleteAsync($"/api/v1/mcp-servers/{created.Str("id")}")).AssertStatus(HttpStatusCode.NoContent);
        foreach (var replica in new[] { pair.A, pair.B })
        {
            (await pair.Client(replica, rotated).RawListToolsAsync()).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        }
    }

    [Fact]
    public async Task DisablePlatform_OnA_ItsApiKeyRefusedOnAAtOnceAndOnBWithinOneSecond()
    {
        var operatorA = pair.Client(pair.A, ReplicaPairFixture.OperatorKey);
        var created = (await operatorA.ApiPostAsync("/api/v1/platforms", new { name = Api.Unique("listing") })).AssertStatus(HttpStatusCode.Created);
        var (keyA, keyB) = (pair.Client(pair.A, created.Str("adminApiKey")), pair.Client(pair.B, created.Str("adminApiKey")));
        var projectId = await keyA.CreateProjectAsync();
        var list = $"/api/v1/app-connections?projectId={projectId}";
        for (var i = 0; i < WarmReads; i++)
        {
            (await keyA.ApiGetAsync(list)).AssertStatus(HttpStatusCode.OK);
            (await keyB.ApiGetAsync(list)).AssertStatus(HttpStatusCode.OK);
        }

        (await operatorA.ApiPostAsync($"/api/v1/platforms/{created.Str("id")}/disable", new { })).AssertStatus(HttpStatusCode.OK);

        (await keyA.ApiGetAsync(list)).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        await TurnsAsync(() => keyB.ApiGetAsync(list), r => r.Status == HttpStatusCode.Unauthorized, "B's request after the platform was disabled on A");
    }

    private async Task WarmAsync(string path)
    {
        for (var i = 0; i < WarmReads; i++)
        {
            (await _adminA.ApiGetAsync(path)).AssertStatus(HttpStatusCode.OK);
            (await _adminB.ApiGetAsync(path)).AssertStatus(HttpStatusCode.OK);
        }
    }

    /// A's very next page shows the write; B's does within the bound and keeps showing it. Both are warmed again after.
    private async Task BothShowAsync(string path, Func<ApiResponse, bool> shows, string what)
    {
        var onA = (await _adminA.ApiGetAsync(path)).AssertStatus(HttpStatusCode.OK);
        Assert.True(shows(onA), $"A's first page after {what} on A is stale: {onA.Raw}");
        await TurnsAsync(() => _adminB.ApiGetAsync(path), shows, $"B's page after {what} on A");
        await WarmAsync(path);
    }

    /// Asks back-to-back until the answer has turned, within the bound; once turned it must stay turned.
    private async Task TurnsAsync(Func<Task<ApiResponse>> ask, Func<ApiResponse, bool> turned, string which)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var answer = await ask();
            if (turned(answer))
            {
                for (var i = 0; i < WarmReads; i++)
                {
                    var again = await ask();
                    Assert.True(turned(again), $"{which} turned back after {clock.ElapsedMilliseconds} ms: {again.Raw}\n{pair.Diagnostics()}");
                }
                return;
            }
            Assert.True(clock.Elapsed <= CrossReplicaBound,
                $"{which} was still stale {clock.ElapsedMilliseconds} ms after the write answered: {answer.Raw}\n{pair.Diagnostics()}");
        }
    }

    private static List<System.Text.Json.JsonElement> Rows(ApiResponse page) => page.Body.GetProperty("data").EnumerateArray().ToList();

    private static int ProjectIdsOf(ApiResponse page, string id) =>
        Rows(page).Single(r => r.GetProperty("id").GetString() == id).GetProperty("projectIds").GetArrayLength();
}

public sealed class ListStalenessSqliteTests(SqliteReplicaPairFixture pair) : ListStalenessTests(pair), IClassFixture<SqliteReplicaPairFixture>;

public sealed class ListStalenessPostgresTests(PostgresReplicaPairFixture pair) : ListStalenessTests(pair), IClassFixture<PostgresReplicaPairFixture>;
