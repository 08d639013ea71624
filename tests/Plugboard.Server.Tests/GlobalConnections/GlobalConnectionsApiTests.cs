using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.GlobalConnections;

public abstract class GlobalConnectionsApiTests(AppFixture fixture)
{
    private const string UnknownProject = "unknownProject0000000";

    private readonly TestApp _app = fixture.App;
    private HttpClient Admin => _app.Client();

    [Fact]
    public async Task Upsert_SeedCreateGlobalConnectionBody_Is201PlatformScopedWithMetadataAndNoValue()
    {
        var externalProjectId = Api.Unique("org");
        var projectId = await Admin.CreateProjectAsync(externalProjectId);
        var canary = "gelato-canary-" + Guid.NewGuid().ToString("N");

        // The body of the guide's createGlobalConnection, as sent.
        var response = await Admin.ApiPostAsync("/api/v1/global-connections", new
        {
            displayName = "Gelato Connection",
            pieceName = "@activepieces/piece-gelato",
            metadata = new { },
            type = "CUSTOM_AUTH",
            value = new { type = "CUSTOM_AUTH", props = new { api_key = canary, base_url = "https://api.gelato.example" } },
            scope = "PLATFORM",
            projectIds = new[] { projectId },
            externalId = "gelato_" + externalProjectId,
        });

        response.AssertStatus(HttpStatusCode.Created);
        Assert.Equal("PLATFORM", response.Str("scope"));
        Assert.Equal("gelato_" + externalProjectId, response.Str("externalId"));
        Assert.Equal("CUSTOM_AUTH", response.Str("type"));
        Assert.Equal("ACTIVE", response.Str("status"));
        Assert.Equal([projectId], ProjectIds(response.Body));
        Assert.Equal(JsonValueKind.Object, response.Body.GetProperty("metadata").ValueKind);
        Assert.False(HasPropertyNamed(response.Body, "value"));
        Assert.DoesNotContain(canary, response.Raw, StringComparison.Ordinal);

        var read = (await Admin.ApiGetAsync($"/api/v1/global-connections/{response.Str("id")}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Object, read.Body.GetProperty("metadata").ValueKind);
        Assert.False(HasPropertyNamed(read.Body, "value"));
        Assert.DoesNotContain(canary, read.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upsert_WithMetadata_StoresAndReturnsIt()
    {
        var projectId = await Admin.CreateProjectAsync();

        var created = (await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(Api.Unique("g"), [projectId], "s")))
            .AssertStatus(HttpStatusCode.Created);

        Assert.Equal("backend", created.Body.GetProperty("metadata").GetProperty("source").GetString());
        var read = (await Admin.ApiGetAsync($"/api/v1/global-connections/{created.Str("id")}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("backend", read.Body.GetProperty("metadata").GetProperty("source").GetString());
        var listed = (await Admin.ApiGetAsync($"/api/v1/app-connections/{created.Str("id")}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("backend", listed.Body.GetProperty("metadata").GetProperty("source").GetString());
    }

    [Fact]
    public async Task Upsert_SameExternalIdWithOtherProjectIds_Is200SameIdProjectIdsReplacedOneRow()
    {
        var p1 = await Admin.CreateProjectAsync();
        var p2 = await Admin.CreateProjectAsync();
        var externalId = Api.Unique("gelato");
        var displayName = Api.Unique("Shared");

        var created = (await Admin.ApiPostAsync("/api/v1/global-connections", Global(externalId, [p1], displayName))).AssertStatus(HttpStatusCode.Created);
        var id = created.Str("id");

        var moved = (await Admin.ApiPostAsync("/api/v1/global-connections", Global(externalId, [p2], displayName))).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(id, moved.Str("id"));
        Assert.Equal([p2], ProjectIds(moved.Body));
        Assert.DoesNotContain(id, await ConnectionIdsInAsync(p1));
        Assert.Contains(id, await ConnectionIdsInAsync(p2));

        var both = (await Admin.ApiPostAsync("/api/v1/global-connections", Global(externalId, [p1, p2], displayName))).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(id, both.Str("id"));
        Assert.Equal(new[] { p1, p2 }.Order(), ProjectIds(both.Body).Order());
        Assert.Contains(id, await ConnectionIdsInAsync(p1));
        Assert.Contains(id, await ConnectionIdsInAsync(p2));

        var listed = (await Admin.ApiGetAsync($"/api/v1/global-connections?displayName={displayName}&limit=100")).AssertStatus(HttpStatusCode.OK);
        var only = Assert.Single(listed.Body.GetProperty("data").EnumerateArray());
        Assert.Equal(id, only.GetProperty("id").GetString());
        Assert.Equal(1, await CountRowsAsync(externalId));
    }

    [Fact]
    public async Task Upsert_TwentyConcurrentUpsertsOfOneNewExternalId_LeaveExactlyOneRow()
    {
        string[] projects = [await Admin.CreateProjectAsync(), await Admin.CreateProjectAsync(), await Admin.CreateProjectAsync()];
        string[][] sets = [[projects[0]], [projects[1]], [projects[0], projects[2]], [projects[1], projects[2]], projects];
        var externalId = Api.Unique("racy");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            _app.Client().ApiPostAsync("/api/v1/global-connections", Api.Global(externalId, sets[i % sets.Length], $"secret-{i}"))));

        Assert.All(responses, r => Assert.True(r.Status is HttpStatusCode.Created or HttpStatusCode.OK, $"{(int)r.Status}: {r.Raw}"));
        Assert.Single(responses, r => r.Status == HttpStatusCode.Created);
        var id = Assert.Single(responses.Select(r => r.Str("id")).Distinct());
        Assert.Equal(1, await CountRowsAsync(externalId));

        // Last writer wins as a whole: the links are one of the requested sets, never a mix of two.
        var stored = ProjectIds((await Admin.ApiGetAsync($"/api/v1/global-connections/{id}")).AssertStatus(HttpStatusCode.OK).Body).Order().ToArray();
        Assert.Contains(sets, s => s.Order().SequenceEqual(stored));
    }

    [Fact]
    public async Task Upsert_UnknownProjectId_Is404ProjectAndWritesNothing()
    {
        var projectId = await Admin.CreateProjectAsync();
        var deletedProject = await Admin.CreateProjectAsync();
        (await Admin.ApiDeleteAsync($"/api/v1/projects/{deletedProject}")).AssertStatus(HttpStatusCode.NoContent);
        var externalId = Api.Unique("g");

        foreach (var missing in new[] { UnknownProject, deletedProject })
        {
            var response = await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(externalId, [projectId, missing], "s"));

            response.AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
            Assert.Equal("project", response.Body.GetProperty("params").GetProperty("entityType").GetString());
            Assert.Equal(missing, response.Body.GetProperty("params").GetProperty("entityId").GetString());
            Assert.Equal(0, await CountRowsAsync(externalId));
        }

        // On the update path too: the stored links stay as they were.
        var id = (await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(externalId, [projectId], "s"))).AssertStatus(HttpStatusCode.Created).Str("id");
        (await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(externalId, [UnknownProject], "s2")))
            .AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        Assert.Equal([projectId], ProjectIds((await Admin.ApiGetAsync($"/api/v1/global-connections/{id}")).Body));
        Assert.Equal(1, await CountRowsAsync(externalId));
    }

    [Fact]
    public async Task Upsert_ProjectIdThatIsNoIdAtAll_Is404ProjectLikeAnyUnknownProject()
    {
        // A likely mistake with the guide: passing the project's externalId instead of its id.
        var externalProjectId = Api.Unique("org");
        await Admin.CreateProjectAsync(externalProjectId);
        var externalId = "gelato_" + externalProjectId;

        var response = await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(externalId, [externalProjectId], "s"));

        response.AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        Assert.Equal("project", response.Body.GetProperty("params").GetProperty("entityType").GetString());
        Assert.Equal(externalProjectId, response.Body.GetProperty("params").GetProperty("entityId").GetString());
        Assert.Equal(0, await CountRowsAsync(externalId));
    }

    [Fact]
    public async Task Upsert_ExistingExternalIdWithoutProjectIds_DoesNotSilentlyUnshareIt()
    {
        var projectId = await Admin.CreateProjectAsync();
        var externalId = Api.Unique("g");
        var id = (await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(externalId, [projectId], "first"))).AssertStatus(HttpStatusCode.Created).Str("id");

        // A credential rotation that leaves projectIds out, as the update route may.
        var rotated = await Admin.ApiPostAsync("/api/v1/global-connections", new
        {
            displayName = "Gelato Connection", pieceName = "@activepieces/piece-gelato", type = "CUSTOM_AUTH",
            value = new { type = "CUSTOM_AUTH", props = new { api_key = "second" } }, scope = "PLATFORM", externalId,
        });

        // Either keep the links (as omitted metadata and preSelectForNewProjects are kept) or refuse the body; never drop them.
        if (rotated.Status == HttpStatusCode.OK)
        {
            Assert.Equal([projectId], ProjectIds(rotated.Body));
        }
        else
        {
            rotated.AssertValidation("projectIds");
        }
        Assert.Equal([projectId], ProjectIds((await Admin.ApiGetAsync($"/api/v1/global-connections/{id}")).AssertStatus(HttpStatusCode.OK).Body));
        Assert.Contains(id, await ConnectionIdsInAsync(projectId));
    }

    [Theory]
    [InlineData("PROJECT")]
    [InlineData("GLOBAL")]
    public async Task Upsert_ScopeNotPlatform_Is400ValidationNamingScope(string scope)
    {
        var projectId = await Admin.CreateProjectAsync();
        var externalId = Api.Unique("g");

        var response = await Admin.ApiPostAsync("/api/v1/global-connections", new
        {
            displayName = "Gelato Connection",
            pieceName = "@activepieces/piece-gelato",
            metadata = new { },
            type = "CUSTOM_AUTH",
            value = new { type = "CUSTOM_AUTH", props = new { api_key = "k" } },
            scope,
            projectIds = new[] { projectId },
            externalId,
        });

        response.AssertValidation("scope");
        Assert.Equal(0, await _app.WithDbAsync(db => db.AppConnections.CountAsync(c => c.ExternalId == externalId)));
    }

    [Fact]
    public async Task Upsert_WithoutExternalId_GeneratesOne()
    {
        var projectId = await Admin.CreateProjectAsync();

        var first = await Admin.ApiPostAsync("/api/v1/global-connections", new
        {
            displayName = "No external id", pieceName = "@activepieces/piece-gelato", type = "SECRET_TEXT",
            value = new { type = "SECRET_TEXT", secret_text = "s" }, scope = "PLATFORM", projectIds = new[] { projectId },
        });
        var second = await Admin.ApiPostAsync("/api/v1/global-connections", new
        {
            displayName = "No external id", pieceName = "@activepieces/piece-gelato", type = "SECRET_TEXT",
            value = new { type = "SECRET_TEXT", secret_text = "s" }, projectIds = new[] { projectId },
        });

        first.AssertStatus(HttpStatusCode.Created);
        second.AssertStatus(HttpStatusCode.Created);
        Assert.False(string.IsNullOrEmpty(first.Str("externalId")));
        Assert.False(string.IsNullOrEmpty(second.Str("externalId")));
        Assert.NotEqual(first.Str("externalId"), second.Str("externalId"));
        Assert.NotEqual(first.Str("id"), second.Str("id"));
        Assert.Equal("PLATFORM", second.Str("scope"));
    }

    [Fact]
    public async Task AppConnectionsList_ProjectSharedWith_ListsTheGlobalButAnUnrelatedProjectDoesNot()
    {
        var shared = await Admin.CreateProjectAsync();
        var unrelated = await Admin.CreateProjectAsync();
        var id = (await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(Api.Unique("g"), [shared], "s"))).AssertStatus(HttpStatusCode.Created).Str("id");

        var list = (await Admin.ApiGetAsync($"/api/v1/app-connections?projectId={shared}&limit=100")).AssertStatus(HttpStatusCode.OK);
        var row = Assert.Single(list.Body.GetProperty("data").EnumerateArray(), e => e.GetProperty("id").GetString() == id);
        Assert.Equal("PLATFORM", row.GetProperty("scope").GetString());
        Assert.Equal([shared], ProjectIds(row));
        Assert.False(HasPropertyNamed(list.Body, "value"));

        Assert.DoesNotContain(id, await ConnectionIdsInAsync(unrelated));
        Assert.Contains(id, await ConnectionIdsInAsync(shared, "scope=PLATFORM"));
        Assert.DoesNotContain(id, await ConnectionIdsInAsync(shared, "scope=PROJECT"));
    }

    [Fact]
    public async Task List_OnlyPlatformConnections_FilteredByPieceNameDisplayNameAndStatus()
    {
        var projectId = await Admin.CreateProjectAsync();
        var token = Api.Unique("Lst");
        var projectConnection = (await Admin.ApiPostAsync("/api/v1/app-connections",
            Api.SecretText(projectId, "project_one", "s", displayName: $"{token} project"))).AssertStatus(HttpStatusCode.Created).Str("id");
        var gelato = (await Admin.ApiPostAsync("/api/v1/global-connections", Global(Api.Unique("g"), [projectId], $"{token} Gelato"))).Str("id");
        var slack = (await Admin.ApiPostAsync("/api/v1/global-connections",
            Global(Api.Unique("g"), [projectId], $"{token} Slack", pieceName: "@activepieces/piece-slack"))).Str("id");

        async Task<string[]> Ids(string query, string? displayName = null) =>
            (await Admin.ApiGetAsync($"/api/v1/global-connections?limit=100&displayName={Uri.EscapeDataString(displayName ?? token)}&{query}")).AssertStatus(HttpStatusCode.OK)
                .Body.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).Order().ToArray();

        var globals = new[] { gelato, slack }.Order().ToArray();
        Assert.Equal(globals, await Ids(""));
        Assert.DoesNotContain(projectConnection, await Ids(""));
        Assert.Equal([slack], await Ids("pieceName=%40activepieces%2Fpiece-slack"));
        Assert.Equal([gelato], await Ids("", $"{token.ToUpperInvariant()} gel"));
        Assert.Equal(globals, await Ids("status=ACTIVE"));
        Assert.Equal(globals, await Ids("status=ACTIVE&status=ERROR"));
        Assert.Empty(await Ids("status=ERROR"));

        var all = (await Admin.ApiGetAsync("/api/v1/global-connections?limit=100")).AssertStatus(HttpStatusCode.OK);
        Assert.All(all.Body.GetProperty("data").EnumerateArray(), e => Assert.Equal("PLATFORM", e.GetProperty("scope").GetString()));
        Assert.False(HasPropertyNamed(all.Body, "value"));
    }

    [Fact]
    public async Task List_PagingWithLimitOne_ReturnsEachGlobalOnce()
    {
        var token = Api.Unique("Pg");
        var created = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            created.Add((await Admin.ApiPostAsync("/api/v1/global-connections", Global(Api.Unique("g"), [], $"{token} {i}"))).AssertStatus(HttpStatusCode.Created).Str("id"));
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = (await Admin.ApiGetAsync($"/api/v1/global-connections?limit=1&displayName={token}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")))
                .AssertStatus(HttpStatusCode.OK).Body;
            seen.Add(Assert.Single(page.GetProperty("data").EnumerateArray()).GetProperty("id").GetString()!);
            cursor = page.GetProperty("next").GetString();
            Assert.True(seen.Count <= 3, "paging does not end");
        }
        while (cursor is not null);

        Assert.Equal(created.Order(), seen.Order());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=x", "limit")]
    [InlineData("cursor=garbled", "cursor")]
    [InlineData("status=EXPIRED", "status")]
    public async Task List_BadQuery_Is400Validation(string query, string field)
    {
        var response = await Admin.ApiGetAsync($"/api/v1/global-connections?{query}");

        response.AssertValidation(field);
    }

    [Fact]
    public async Task Update_ChangesDisplayNameMetadataPreSelectAndProjectIds()
    {
        var p1 = await Admin.CreateProjectAsync();
        var p2 = await Admin.CreateProjectAsync();
        var created = (await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(Api.Unique("g"), [p1], "s"))).AssertStatus(HttpStatusCode.Created);
        var id = created.Str("id");
        var valueBefore = await _app.WithDbAsync(db => db.AppConnections.Where(c => c.Id == id).Select(c => c.Value).SingleAsync());

        var updated = await Admin.ApiPostAsync($"/api/v1/global-connections/{id}", new
        {
            displayName = "Gelato (renamed)", metadata = new { team = "ops" }, preSelectForNewProjects = true, projectIds = new[] { p2 },
        });
        try
        {
            updated.AssertStatus(HttpStatusCode.OK);
            Assert.Equal(id, updated.Str("id"));
            Assert.Equal("Gelato (renamed)", updated.Str("displayName"));
            Assert.Equal("ops", updated.Body.GetProperty("metadata").GetProperty("team").GetString());
            Assert.True(updated.Body.GetProperty("preSelectForNewProjects").GetBoolean());
            Assert.Equal([p2], ProjectIds(updated.Body));

            var read = (await Admin.ApiGetAsync($"/api/v1/global-connections/{id}")).AssertStatus(HttpStatusCode.OK);
            Assert.Equal("Gelato (renamed)", read.Str("displayName"));
            Assert.Equal("ops", read.Body.GetProperty("metadata").GetProperty("team").GetString());
            Assert.True(read.Body.GetProperty("preSelectForNewProjects").GetBoolean());
            Assert.Equal([p2], ProjectIds(read.Body));
            Assert.DoesNotContain(id, await ConnectionIdsInAsync(p1));
            Assert.Contains(id, await ConnectionIdsInAsync(p2));
            Assert.Equal(valueBefore, await _app.WithDbAsync(db => db.AppConnections.Where(c => c.Id == id).Select(c => c.Value).SingleAsync()));

            // An unknown project: 404, nothing changes.
            var missing = (await Admin.ApiPostAsync($"/api/v1/global-connections/{id}", new { displayName = "Nope", projectIds = new[] { p1, UnknownProject } }))
                .AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
            Assert.Equal("project", missing.Body.GetProperty("params").GetProperty("entityType").GetString());
            var unchanged = (await Admin.ApiGetAsync($"/api/v1/global-connections/{id}")).AssertStatus(HttpStatusCode.OK);
            Assert.Equal("Gelato (renamed)", unchanged.Str("displayName"));
            Assert.Equal([p2], ProjectIds(unchanged.Body));

            var empty = (await Admin.ApiPostAsync($"/api/v1/global-connections/{id}", new { displayName = "" })).AssertError(HttpStatusCode.BadRequest, "VALIDATION");
            Assert.Equal("displayName", empty.Body.GetProperty("params").GetProperty("field").GetString());
        }
        finally
        {
            // The server is shared by this class's tests: do not leave a pre-selected connection behind.
            await Admin.ApiPostAsync($"/api/v1/global-connections/{id}", new { preSelectForNewProjects = false });
        }
        var reset = (await Admin.ApiGetAsync($"/api/v1/global-connections/{id}")).AssertStatus(HttpStatusCode.OK);
        Assert.False(reset.Body.GetProperty("preSelectForNewProjects").GetBoolean());
        Assert.Equal([p2], ProjectIds(reset.Body));
    }

    [Fact]
    public async Task UpdateAndGet_ProjectScopedConnectionId_Are404()
    {
        var projectId = await Admin.CreateProjectAsync();
        var id = (await Admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, "proj", "s"))).AssertStatus(HttpStatusCode.Created).Str("id");

        (await Admin.ApiPostAsync($"/api/v1/global-connections/{id}", new { displayName = "Hijacked" })).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        (await Admin.ApiGetAsync($"/api/v1/global-connections/{id}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        (await Admin.ApiPostAsync("/api/v1/global-connections/unknownConnection0000", new { displayName = "x" })).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");

        var read = (await Admin.ApiGetAsync($"/api/v1/app-connections/{id}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("Slack Bot Token", read.Str("displayName"));
        Assert.Equal("PROJECT", read.Str("scope"));
    }

    [Fact]
    public async Task Delete_GlobalConnection_Is204ThenGoneEverywhere()
    {
        var p1 = await Admin.CreateProjectAsync();
        var p2 = await Admin.CreateProjectAsync();
        var externalId = Api.Unique("g");
        var id = (await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(externalId, [p1, p2], "s"))).AssertStatus(HttpStatusCode.Created).Str("id");

        (await Admin.ApiDeleteAsync($"/api/v1/global-connections/{id}")).AssertStatus(HttpStatusCode.NoContent);

        var gone = (await Admin.ApiGetAsync($"/api/v1/global-connections/{id}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        Assert.Equal("app_connection", gone.Body.GetProperty("params").GetProperty("entityType").GetString());
        (await Admin.ApiGetAsync($"/api/v1/app-connections/{id}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        Assert.DoesNotContain(id, await ConnectionIdsInAsync(p1));
        Assert.DoesNotContain(id, await ConnectionIdsInAsync(p2));
        Assert.Equal(0, await CountRowsAsync(externalId));
        Assert.Equal(0, await _app.WithDbAsync(db => db.AppConnectionProjects.CountAsync(l => l.ConnectionId == id)));
        (await Admin.ApiDeleteAsync($"/api/v1/global-connections/{id}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");

        // The externalId is free again.
        (await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(externalId, [p1], "s"))).AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Delete_ProjectScopedConnectionId_Is404AndKeepsIt()
    {
        var projectId = await Admin.CreateProjectAsync();
        var id = (await Admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, "keep", "s"))).AssertStatus(HttpStatusCode.Created).Str("id");

        (await Admin.ApiDeleteAsync($"/api/v1/global-connections/{id}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");

        (await Admin.ApiGetAsync($"/api/v1/app-connections/{id}")).AssertStatus(HttpStatusCode.OK);
        Assert.Contains(id, await ConnectionIdsInAsync(projectId));
    }

    private static object Global(string externalId, string[] projectIds, string displayName, string pieceName = "@activepieces/piece-gelato") => new
    {
        displayName,
        pieceName,
        metadata = new { },
        type = "CUSTOM_AUTH",
        value = new { type = "CUSTOM_AUTH", props = new { api_key = "k" } },
        scope = "PLATFORM",
        projectIds,
        externalId,
    };

    private Task<int> CountRowsAsync(string externalId) =>
        _app.WithDbAsync(db => db.AppConnections.CountAsync(c => c.ScopeKey == AppConnection.PlatformScopeKey && c.ExternalId == externalId));

    private async Task<List<string>> ConnectionIdsInAsync(string projectId, string query = "") =>
        (await Admin.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}&limit=100&{query}")).AssertStatus(HttpStatusCode.OK)
            .Body.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();

    private static string[] ProjectIds(JsonElement connection) =>
        connection.GetProperty("projectIds").EnumerateArray().Select(e => e.GetString()!).ToArray();

    /// True when any object in the tree has a property of that name (case-insensitive).
    private static bool HasPropertyNamed(JsonElement element, string name) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Any(p =>
            string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase) || HasPropertyNamed(p.Value, name)),
        JsonValueKind.Array => element.EnumerateArray().Any(e => HasPropertyNamed(e, name)),
        _ => false,
    };
}

public sealed class GlobalConnectionsApiSqliteTests(SqliteFixture fixture) : GlobalConnectionsApiTests(fixture), IClassFixture<SqliteFixture>;

public sealed class GlobalConnectionsApiPostgresTests(PostgresFixture fixture) : GlobalConnectionsApiTests(fixture), IClassFixture<PostgresFixture>;
