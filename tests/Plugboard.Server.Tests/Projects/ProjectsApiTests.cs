using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Projects;

public abstract class ProjectsApiTests(AppFixture fixture)
{
    private const string UnknownId = "unknownProject0000000";

    private readonly TestApp _app = fixture.App;
    private HttpClient Admin => _app.Client();

    [Fact]
    public async Task GetOrCreateProject_SeedFlow_FindsNothingThenCreates201ThenFindsIt()
    {
        var externalId = Api.Unique("org");

        var before = (await Admin.ApiGetAsync($"/api/v1/projects?externalId={externalId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Empty(before.Body.GetProperty("data").EnumerateArray());

        var created = (await Admin.ApiPostAsync("/api/v1/projects", new { displayName = externalId, metadata = new { }, externalId }))
            .AssertStatus(HttpStatusCode.Created);
        var id = created.Str("id");
        Assert.False(string.IsNullOrEmpty(id));
        Assert.Equal(externalId, created.Str("externalId"));
        Assert.Equal(externalId, created.Str("displayName"));
        Assert.False(string.IsNullOrEmpty(created.Str("platformId")));
        Assert.Equal(JsonValueKind.Object, created.Body.GetProperty("metadata").ValueKind);
        Assert.Empty(created.Body.GetProperty("metadata").EnumerateObject());
        Assert.True(created.Body.GetProperty("created").GetDateTime() > DateTime.MinValue);
        Assert.True(created.Body.GetProperty("updated").GetDateTime() > DateTime.MinValue);

        var after = (await Admin.ApiGetAsync($"/api/v1/projects?externalId={externalId}")).AssertStatus(HttpStatusCode.OK);
        var found = Assert.Single(after.Body.GetProperty("data").EnumerateArray());
        Assert.Equal(id, found.GetProperty("id").GetString());
        Assert.Equal(externalId, found.GetProperty("externalId").GetString());
    }

    [Fact]
    public async Task Create_TakenExternalId_Is409ProjectExternalIdAlreadyExists()
    {
        var externalId = Api.Unique("org");
        await Admin.CreateProjectAsync(externalId);

        var response = await Admin.ApiPostAsync("/api/v1/projects", new { displayName = "Second", metadata = new { }, externalId });

        response.AssertError(HttpStatusCode.Conflict, "PROJECT_EXTERNAL_ID_ALREADY_EXISTS");
        Assert.Equal(externalId, response.Body.GetProperty("params").GetProperty("externalId").GetString());
        Assert.Single(await ProjectsWithExternalIdAsync(externalId));
    }

    [Fact]
    public async Task Create_TenConcurrentPostsOfOneNewExternalId_CreateExactlyOneProject()
    {
        var externalId = Api.Unique("org");

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            _app.Client().ApiPostAsync("/api/v1/projects", new { displayName = $"racer {i}", metadata = new { }, externalId })));

        Assert.All(responses, r => Assert.True(r.Status is HttpStatusCode.Created or HttpStatusCode.Conflict, $"{(int)r.Status}: {r.Raw}"));
        var winner = Assert.Single(responses, r => r.Status == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.Status == HttpStatusCode.Conflict),
            r => r.AssertError(HttpStatusCode.Conflict, "PROJECT_EXTERNAL_ID_ALREADY_EXISTS"));
        var found = Assert.Single(await ProjectsWithExternalIdAsync(externalId));
        Assert.Equal(winner.Str("id"), found.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("""{"metadata":{}}""")]
    [InlineData("""{"displayName":null,"metadata":{}}""")]
    [InlineData("""{"displayName":"","metadata":{}}""")]
    [InlineData("""{"displayName":"   ","metadata":{}}""")]
    public async Task Create_MissingOrEmptyDisplayName_Is400ValidationNamingDisplayName(string partial)
    {
        var externalId = Api.Unique("org");
        var body = JsonNode.Parse(partial)!.AsObject();
        body["externalId"] = externalId;

        var response = await Admin.ApiPostRawAsync("/api/v1/projects", body.ToJsonString());

        response.AssertValidation("displayName");
        Assert.Empty(await ProjectsWithExternalIdAsync(externalId));
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("\"text\"")]
    [InlineData("5")]
    [InlineData("true")]
    public async Task Create_MetadataNotAnObject_Is400ValidationNamingMetadata(string metadata)
    {
        var externalId = Api.Unique("org");

        var response = await Admin.ApiPostRawAsync("/api/v1/projects",
            $$"""{"displayName":"Meta","externalId":"{{externalId}}","metadata":{{metadata}}}""");

        response.AssertValidation("metadata");
        Assert.Empty(await ProjectsWithExternalIdAsync(externalId));
    }

    [Theory]
    [InlineData("acme.com")]
    [InlineData("org/team")]
    [InlineData("a.b/c.d")]
    public async Task Create_DisplayNameWithDotOrSlash_IsAccepted(string displayName)
    {
        // The reference refuses these; the predefined-connection guide uses externalIds as display names, so we take them.
        var externalId = Api.Unique("org");

        var response = await Admin.ApiPostAsync("/api/v1/projects", new { displayName, metadata = new { }, externalId });

        response.AssertStatus(HttpStatusCode.Created);
        Assert.Equal(displayName, response.Str("displayName"));
        var read = (await Admin.ApiGetAsync($"/api/v1/projects/{response.Str("id")}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(displayName, read.Str("displayName"));
    }

    [Fact]
    public async Task List_DisplayNameFilter_IsCaseInsensitiveSubstring()
    {
        var token = Api.Unique("Tok");
        var lower = await Admin.CreateProjectAsync(extra: new { displayName = $"Acme {token} alpha" });
        var upper = await Admin.CreateProjectAsync(extra: new { displayName = $"acme {token.ToUpperInvariant()} BETA" });
        var other = await Admin.CreateProjectAsync(extra: new { displayName = $"Other {Api.Unique("x")}" });

        async Task<string[]> Ids(string term) =>
            (await Admin.ApiGetAsync($"/api/v1/projects?limit=100&displayName={Uri.EscapeDataString(term)}")).AssertStatus(HttpStatusCode.OK)
                .Body.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).Order().ToArray();

        var both = new[] { lower, upper }.Order().ToArray();
        Assert.Equal(both, await Ids(token));
        Assert.Equal(both, await Ids(token.ToLowerInvariant()[2..]));
        Assert.Equal(both, await Ids(token.ToUpperInvariant()[1..^2]));
        Assert.Equal([lower], await Ids($"{token} ALPHA"));
        Assert.DoesNotContain(other, await Ids(token));
    }

    [Fact]
    public async Task List_DisplayNameFilterWithLikeWildcards_MatchesThemLiterally()
    {
        var token = Api.Unique("Wild");
        var underscore = await Admin.CreateProjectAsync(extra: new { displayName = $"{token} a_c 50%" });
        var plain = await Admin.CreateProjectAsync(extra: new { displayName = $"{token} abc 500" });

        async Task<string[]> Ids(string term) =>
            (await Admin.ApiGetAsync($"/api/v1/projects?limit=100&displayName={Uri.EscapeDataString(term)}")).AssertStatus(HttpStatusCode.OK)
                .Body.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToArray();

        Assert.Equal([underscore], await Ids($"{token} a_c"));
        Assert.Equal([underscore], await Ids("c 50%"));
        Assert.Empty(await Ids($"{token} a%"));
        Assert.Equal([plain], await Ids($"{token} ABC"));
    }

    [Fact]
    public async Task List_DisplayNameFilter_FoldsCaseBeyondAscii()
    {
        var token = Api.Unique("Intl");
        var id = await Admin.CreateProjectAsync(extra: new { displayName = $"{token} CAFÉ ÉCLAIR Müller" });

        async Task<string[]> Ids(string term) =>
            (await Admin.ApiGetAsync($"/api/v1/projects?limit=100&displayName={Uri.EscapeDataString(term)}")).AssertStatus(HttpStatusCode.OK)
                .Body.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToArray();

        Assert.Equal([id], await Ids($"{token} café éclair"));
        Assert.Equal([id], await Ids("MÜLLER"));
    }

    [Fact]
    public async Task List_CursorPagingOver27Projects_ReturnsEveryProjectExactlyOnce()
    {
        var token = Api.Unique("Page");
        // Concurrent creates, so several projects may share a timestamp.
        var created = await Task.WhenAll(Enumerable.Range(0, 27).Select(i =>
            _app.Client().CreateProjectAsync(extra: new { displayName = $"{token} project {i:D2}" })));

        var seen = new List<string>();
        var sizes = new List<int>();
        string? cursor = null;
        do
        {
            var page = (await Admin.ApiGetAsync($"/api/v1/projects?limit=10&displayName={token}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")))
                .AssertStatus(HttpStatusCode.OK).Body;
            var ids = page.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();
            seen.AddRange(ids);
            sizes.Add(ids.Count);
            cursor = page.GetProperty("next").GetString();
            Assert.True(sizes.Count <= 5, "paging does not end");
        }
        while (cursor is not null);

        Assert.Equal([10, 10, 7], sizes);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(created.Order(), seen.Order());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("cursor=bmV4dF9nYXJibGVk", "cursor")]
    public async Task List_BadLimitOrCursor_Is400Validation(string query, string field)
    {
        var response = await Admin.ApiGetAsync($"/api/v1/projects?{query}");

        response.AssertValidation(field);
    }

    [Fact]
    public async Task Get_ExistingId_Is200WithTheProject()
    {
        var externalId = Api.Unique("org");
        var id = await Admin.CreateProjectAsync(externalId);

        var response = (await Admin.ApiGetAsync($"/api/v1/projects/{id}")).AssertStatus(HttpStatusCode.OK);

        Assert.Equal(id, response.Str("id"));
        Assert.Equal(externalId, response.Str("externalId"));
        Assert.Equal(externalId, response.Str("displayName"));
    }

    [Fact]
    public async Task Get_UnknownId_Is404EntityNotFoundProject()
    {
        var response = await Admin.ApiGetAsync($"/api/v1/projects/{UnknownId}");

        response.AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        Assert.Equal("project", response.Body.GetProperty("params").GetProperty("entityType").GetString());
    }

    [Fact]
    public async Task Update_DisplayNameMetadataAndExternalId_AreChanged()
    {
        var oldExternalId = Api.Unique("org");
        var newExternalId = Api.Unique("org");
        var id = await Admin.CreateProjectAsync(oldExternalId);

        var response = await Admin.ApiPostAsync($"/api/v1/projects/{id}",
            new { displayName = "Renamed Org", metadata = new { tier = "gold" }, externalId = newExternalId });

        response.AssertStatus(HttpStatusCode.OK);
        Assert.Equal(id, response.Str("id"));
        Assert.Equal("Renamed Org", response.Str("displayName"));
        Assert.Equal(newExternalId, response.Str("externalId"));
        Assert.Equal("gold", response.Body.GetProperty("metadata").GetProperty("tier").GetString());

        var read = (await Admin.ApiGetAsync($"/api/v1/projects/{id}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("Renamed Org", read.Str("displayName"));
        Assert.Equal(newExternalId, read.Str("externalId"));
        Assert.Equal("gold", read.Body.GetProperty("metadata").GetProperty("tier").GetString());
        Assert.Empty(await ProjectsWithExternalIdAsync(oldExternalId));
        Assert.Equal(id, Assert.Single(await ProjectsWithExternalIdAsync(newExternalId)).GetProperty("id").GetString());

        // Naming its own externalId again is not a conflict.
        (await Admin.ApiPostAsync($"/api/v1/projects/{id}", new { externalId = newExternalId })).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Update_ExternalIdOfAnotherProject_Is409AndChangesNothing()
    {
        var takenExternalId = Api.Unique("org");
        var ownExternalId = Api.Unique("org");
        await Admin.CreateProjectAsync(takenExternalId);
        var id = await Admin.CreateProjectAsync(ownExternalId);

        var response = await Admin.ApiPostAsync($"/api/v1/projects/{id}", new { displayName = "Should not stick", externalId = takenExternalId });

        response.AssertError(HttpStatusCode.Conflict, "PROJECT_EXTERNAL_ID_ALREADY_EXISTS");
        Assert.Equal(takenExternalId, response.Body.GetProperty("params").GetProperty("externalId").GetString());
        var read = (await Admin.ApiGetAsync($"/api/v1/projects/{id}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(ownExternalId, read.Str("externalId"));
        Assert.Equal(ownExternalId, read.Str("displayName"));
    }

    [Fact]
    public async Task Update_UnknownIdOrBadBody_Is404Or400()
    {
        var id = await Admin.CreateProjectAsync();

        (await Admin.ApiPostAsync($"/api/v1/projects/{UnknownId}", new { displayName = "x" })).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        var empty = (await Admin.ApiPostAsync($"/api/v1/projects/{id}", new { displayName = "" })).AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        Assert.Equal("displayName", empty.Body.GetProperty("params").GetProperty("field").GetString());
        var metadata = (await Admin.ApiPostRawAsync($"/api/v1/projects/{id}", """{"metadata":[1]}""")).AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        Assert.Equal("metadata", metadata.Body.GetProperty("params").GetProperty("field").GetString());
    }

    [Fact]
    public async Task Delete_Project_RemovesItAndItsProjectConnectionsButKeepsSharedGlobals()
    {
        var externalId = Api.Unique("org");
        var projectId = await Admin.CreateProjectAsync(externalId);
        var otherId = await Admin.CreateProjectAsync();
        var ownConnection = (await Admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, "own", "s")))
            .AssertStatus(HttpStatusCode.Created).Str("id");
        var globalId = (await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(Api.Unique("g"), [projectId, otherId], "gs")))
            .AssertStatus(HttpStatusCode.Created).Str("id");

        (await Admin.ApiDeleteAsync($"/api/v1/projects/{projectId}")).AssertStatus(HttpStatusCode.NoContent);

        (await Admin.ApiGetAsync($"/api/v1/projects/{projectId}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        (await Admin.ApiGetAsync($"/api/v1/app-connections/{ownConnection}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        Assert.Equal(0, await _app.WithDbAsync(db => db.AppConnections.CountAsync(c => c.Id == ownConnection)));
        Assert.Equal(0, await _app.WithDbAsync(db => db.AppConnectionProjects.CountAsync(l => l.ProjectId == projectId)));
        var global = (await Admin.ApiGetAsync($"/api/v1/global-connections/{globalId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal([otherId], ProjectIds(global.Body));
        Assert.Contains(globalId, await ConnectionIdsInAsync(otherId));
        Assert.Empty(await ProjectsWithExternalIdAsync(externalId));
        (await Admin.ApiDeleteAsync($"/api/v1/projects/{projectId}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");

        // The externalId is free again.
        var reused = await Admin.CreateProjectAsync(externalId);
        Assert.NotEqual(projectId, reused);
        Assert.DoesNotContain(globalId, await ConnectionIdsInAsync(reused));
    }

    [Fact]
    public async Task Create_AfterPreSelectedGlobalConnection_AttachesItButNotUnselectedOnes()
    {
        var selected = (await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(Api.Unique("pre"), [], "s", preSelect: true)))
            .AssertStatus(HttpStatusCode.Created).Str("id");
        var unselected = (await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(Api.Unique("nopre"), [], "s", preSelect: false)))
            .AssertStatus(HttpStatusCode.Created).Str("id");
        try
        {
            var projectId = await Admin.CreateProjectAsync();

            var visible = await ConnectionIdsInAsync(projectId);
            Assert.Contains(selected, visible);
            Assert.DoesNotContain(unselected, visible);
            Assert.Contains(projectId, ProjectIds((await Admin.ApiGetAsync($"/api/v1/global-connections/{selected}")).AssertStatus(HttpStatusCode.OK).Body));
            Assert.DoesNotContain(projectId, ProjectIds((await Admin.ApiGetAsync($"/api/v1/global-connections/{unselected}")).AssertStatus(HttpStatusCode.OK).Body));
        }
        finally
        {
            // Other tests of this class share the server: a pre-selected connection would join all their new projects.
            await Admin.ApiDeleteAsync($"/api/v1/global-connections/{selected}");
        }
    }

    [Fact]
    public async Task Create_WithGlobalConnectionExternalIds_AttachesThoseGlobals()
    {
        var externalA = Api.Unique("ga");
        var externalB = Api.Unique("gb");
        var a = (await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(externalA, [], "s"))).AssertStatus(HttpStatusCode.Created).Str("id");
        var b = (await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(externalB, [], "s"))).AssertStatus(HttpStatusCode.Created).Str("id");

        var projectId = await Admin.CreateProjectAsync(extra: new { globalConnectionExternalIds = new[] { externalA } });

        var visible = await ConnectionIdsInAsync(projectId);
        Assert.Contains(a, visible);
        Assert.DoesNotContain(b, visible);
        Assert.Equal([projectId], ProjectIds((await Admin.ApiGetAsync($"/api/v1/global-connections/{a}")).Body));
    }

    [Fact]
    public async Task Create_WithUnknownGlobalConnectionExternalId_Is400AndCreatesNoProject()
    {
        var externalId = Api.Unique("org");
        var known = Api.Unique("g");
        (await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(known, [], "s"))).AssertStatus(HttpStatusCode.Created);

        var response = await Admin.ApiPostAsync("/api/v1/projects", new
        {
            displayName = externalId, metadata = new { }, externalId, globalConnectionExternalIds = new[] { known, Api.Unique("missing") },
        });

        response.AssertValidation("globalConnectionExternalIds");
        Assert.Empty(await ProjectsWithExternalIdAsync(externalId));
    }

    [Fact]
    public async Task Update_GlobalConnectionExternalIds_IsTheFullDesiredSet()
    {
        var externalA = Api.Unique("ga");
        var externalB = Api.Unique("gb");
        var a = (await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(externalA, [], "s"))).AssertStatus(HttpStatusCode.Created).Str("id");
        var b = (await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(externalB, [], "s"))).AssertStatus(HttpStatusCode.Created).Str("id");
        var projectId = await Admin.CreateProjectAsync(extra: new { globalConnectionExternalIds = new[] { externalA } });

        (await Admin.ApiPostAsync($"/api/v1/projects/{projectId}", new { globalConnectionExternalIds = new[] { externalB } })).AssertStatus(HttpStatusCode.OK);

        var visible = await ConnectionIdsInAsync(projectId);
        Assert.Contains(b, visible);
        Assert.DoesNotContain(a, visible);
        Assert.Empty(ProjectIds((await Admin.ApiGetAsync($"/api/v1/global-connections/{a}")).Body));
        Assert.Equal([projectId], ProjectIds((await Admin.ApiGetAsync($"/api/v1/global-connections/{b}")).Body));

        // Both, then none.
        (await Admin.ApiPostAsync($"/api/v1/projects/{projectId}", new { globalConnectionExternalIds = new[] { externalA, externalB } })).AssertStatus(HttpStatusCode.OK);
        visible = await ConnectionIdsInAsync(projectId);
        Assert.Contains(a, visible);
        Assert.Contains(b, visible);
        (await Admin.ApiPostAsync($"/api/v1/projects/{projectId}", new { globalConnectionExternalIds = Array.Empty<string>() })).AssertStatus(HttpStatusCode.OK);
        visible = await ConnectionIdsInAsync(projectId);
        Assert.DoesNotContain(a, visible);
        Assert.DoesNotContain(b, visible);

        // An unknown one changes nothing.
        (await Admin.ApiPostAsync($"/api/v1/projects/{projectId}", new { globalConnectionExternalIds = new[] { externalA, Api.Unique("missing") } }))
            .AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        Assert.DoesNotContain(a, await ConnectionIdsInAsync(projectId));
    }

    private async Task<List<JsonElement>> ProjectsWithExternalIdAsync(string externalId) =>
        (await Admin.ApiGetAsync($"/api/v1/projects?externalId={Uri.EscapeDataString(externalId)}")).AssertStatus(HttpStatusCode.OK)
            .Body.GetProperty("data").EnumerateArray().ToList();

    private async Task<List<string>> ConnectionIdsInAsync(string projectId) =>
        (await Admin.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}&limit=100")).AssertStatus(HttpStatusCode.OK)
            .Body.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();

    private static string[] ProjectIds(JsonElement connection) =>
        connection.GetProperty("projectIds").EnumerateArray().Select(e => e.GetString()!).ToArray();
}

public sealed class ProjectsApiSqliteTests(SqliteFixture fixture) : ProjectsApiTests(fixture), IClassFixture<SqliteFixture>;

public sealed class ProjectsApiPostgresTests(PostgresFixture fixture) : ProjectsApiTests(fixture), IClassFixture<PostgresFixture>;
