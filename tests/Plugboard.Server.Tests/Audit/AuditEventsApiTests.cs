using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Audit;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Audit;

public abstract class AuditEventsApiTests(AppFixture fixture)
{
    private readonly TestApp _app = fixture.App;
    private HttpClient Admin => _app.Client();

    [Fact]
    public async Task List_AfterProjectConnectionAndApiKeyLifecycle_HoldsEveryEventAndNoSecret()
    {
        var canaryFirst = "canary-first-" + Guid.NewGuid().ToString("N");
        var canarySecond = "canary-second-" + Guid.NewGuid().ToString("N");
        var canaryGlobal = "canary-global-" + Guid.NewGuid().ToString("N");

        var projectId = await Admin.CreateProjectAsync();
        var connectionId = (await Admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, "audited", canaryFirst)))
            .AssertStatus(HttpStatusCode.Created).Str("id");
        (await Admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, "audited", canarySecond))).AssertStatus(HttpStatusCode.OK);
        (await Admin.ApiPostAsync($"/api/v1/app-connections/{connectionId}", new { displayName = "Renamed", metadata = new { team = "a" } }))
            .AssertStatus(HttpStatusCode.OK);
        (await Admin.ApiDeleteAsync($"/api/v1/app-connections/{connectionId}")).AssertStatus(HttpStatusCode.NoContent);
        var globalId = (await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(Api.Unique("g"), [projectId], canaryGlobal)))
            .AssertStatus(HttpStatusCode.Created).Str("id");
        var key = (await Admin.ApiPostAsync("/api/v1/api-keys", new { displayName = "Audited key" })).AssertStatus(HttpStatusCode.Created);
        var keyId = key.Str("id");
        var keyValue = key.Str("value");
        Assert.StartsWith("sk-", keyValue, StringComparison.Ordinal);
        (await Admin.ApiDeleteAsync($"/api/v1/api-keys/{keyId}")).AssertStatus(HttpStatusCode.NoContent);

        var raw = new StringBuilder();
        async Task<List<JsonElement>> Events(string query)
        {
            var response = (await Admin.ApiGetAsync($"/api/v1/audit-events?limit=100&{query}")).AssertStatus(HttpStatusCode.OK);
            raw.AppendLine(response.Raw);
            return response.Body.GetProperty("data").EnumerateArray().ToList();
        }

        var project = Assert.Single(await Events($"entityId={projectId}"));
        AssertEvent(project, "project.created", "project", projectId);
        Assert.Equal(projectId, project.GetProperty("projectId").GetString());

        var connection = await Events($"entityId={connectionId}");
        Assert.Equal(["connection.deleted", "connection.updated", "connection.updated", "connection.created"], connection.Select(e => e.GetProperty("action").GetString()));
        Assert.All(connection, e => AssertEvent(e, e.GetProperty("action").GetString()!, "app_connection", connectionId));
        Assert.All(connection, e => Assert.Equal(projectId, e.GetProperty("projectId").GetString()));

        AssertEvent(Assert.Single(await Events($"entityId={globalId}")), "connection.created", "app_connection", globalId);
        AssertEvent(Assert.Single(await Events($"entityId={keyId}&action=api_key.created")), "api_key.created", "api_key", keyId);
        AssertEvent(Assert.Single(await Events($"entityId={keyId}&action=api_key.deleted")), "api_key.deleted", "api_key", keyId);

        var inProject = (await Events($"projectId={projectId}")).Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(["connection.deleted", "connection.updated", "connection.updated", "connection.created", "project.created"], inProject);
        var created = await Events("action=connection.created");
        Assert.All(created, e => Assert.Equal("connection.created", e.GetProperty("action").GetString()));
        Assert.Contains(created, e => e.GetProperty("entityId").GetString() == connectionId);

        // Every event of the platform, read through the API and straight from the table.
        foreach (var page in await AllPagesAsync(""))
        {
            raw.AppendLine(page);
        }
        raw.AppendJoin('\n', await _app.WithDbAsync(db => db.AuditEvents.Select(e => e.Details ?? "").ToListAsync()));
        var text = raw.ToString();
        foreach (var secret in new[] { canaryFirst, canarySecond, canaryGlobal, keyValue, TestApp.AdminKey })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task List_ProjectUpdateAndDelete_AreAudited()
    {
        var projectId = await Admin.CreateProjectAsync();
        (await Admin.ApiPostAsync($"/api/v1/projects/{projectId}", new { displayName = "Renamed" })).AssertStatus(HttpStatusCode.OK);
        (await Admin.ApiDeleteAsync($"/api/v1/projects/{projectId}")).AssertStatus(HttpStatusCode.NoContent);

        var events = (await Admin.ApiGetAsync($"/api/v1/audit-events?entityId={projectId}")).AssertStatus(HttpStatusCode.OK)
            .Body.GetProperty("data").EnumerateArray().ToList();

        Assert.Equal(["project.deleted", "project.updated", "project.created"], events.Select(e => e.GetProperty("action").GetString()));
        Assert.All(events, e => AssertEvent(e, e.GetProperty("action").GetString()!, "project", projectId));
    }

    [Fact]
    public async Task List_EventsMadeWithAnotherKey_NameThatKeyAsActor()
    {
        var key = (await Admin.ApiPostAsync("/api/v1/api-keys", new { displayName = "Second platform key" })).AssertStatus(HttpStatusCode.Created);
        var keyId = key.Str("id");
        var projectId = await _app.Client(key.Str("value")).CreateProjectAsync();
        (await Admin.ApiDeleteAsync($"/api/v1/api-keys/{keyId}")).AssertStatus(HttpStatusCode.NoContent);

        var byKey = Assert.Single((await Admin.ApiGetAsync($"/api/v1/audit-events?entityId={projectId}")).AssertStatus(HttpStatusCode.OK)
            .Body.GetProperty("data").EnumerateArray());
        Assert.Equal("PLATFORM_API_KEY", byKey.GetProperty("actorType").GetString());
        Assert.Equal(keyId, byKey.GetProperty("actorId").GetString());

        var deleted = Assert.Single((await Admin.ApiGetAsync($"/api/v1/audit-events?entityId={keyId}&action=api_key.deleted")).AssertStatus(HttpStatusCode.OK)
            .Body.GetProperty("data").EnumerateArray());
        Assert.Equal("PLATFORM_API_KEY", deleted.GetProperty("actorType").GetString());
        Assert.NotEqual(keyId, deleted.GetProperty("actorId").GetString());
    }

    [Fact]
    public async Task FailedWrites_400And404_WriteNoAuditEvent()
    {
        var projectId = await Admin.CreateProjectAsync();
        var externalId = Api.Unique("nope");
        var before = await _app.WithDbAsync(db => db.AuditEvents.CountAsync());

        (await Admin.ApiPostRawAsync("/api/v1/app-connections",
            $$$"""{"projectId":"{{{projectId}}}","externalId":"{{{externalId}}}","displayName":"X","pieceName":"p","type":"SECRET_TEXT","value":{"type":"SECRET_TEXT"}}"""))
            .AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        (await Admin.ApiPostAsync("/api/v1/global-connections", new
        {
            displayName = "X", pieceName = "p", type = "SECRET_TEXT", value = new { type = "SECRET_TEXT", secret_text = "s" },
            scope = "PROJECT", projectIds = new[] { projectId }, externalId,
        })).AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        (await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(externalId, ["unknownProject0000000"], "s")))
            .AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        (await Admin.ApiPostAsync("/api/v1/projects", new { externalId, metadata = new { } })).AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        (await Admin.ApiPostAsync("/api/v1/api-keys", new { displayName = "" })).AssertError(HttpStatusCode.BadRequest, "VALIDATION");

        // Tests of one class run one at a time on their own server, so nothing else writes meanwhile.
        Assert.Equal(before, await _app.WithDbAsync(db => db.AuditEvents.CountAsync()));
        Assert.Empty((await Admin.ApiGetAsync($"/api/v1/audit-events?projectId={projectId}&action=connection.created")).Body.GetProperty("data").EnumerateArray());
        Assert.Equal(0, await _app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Details != null && e.Details.Contains(externalId))));
    }

    [Fact]
    public async Task List_PagingWithLimitAndCursor_ReturnsEveryEventOnceForwardAndBack()
    {
        var projectId = await Admin.CreateProjectAsync();
        // Concurrent writes, so several events may share a timestamp.
        await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
            (await _app.Client().ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, $"paged_{i:D2}", "s"))).AssertStatus(HttpStatusCode.Created)));

        var all = (await Admin.ApiGetAsync($"/api/v1/audit-events?projectId={projectId}&limit=100")).AssertStatus(HttpStatusCode.OK)
            .Body.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();
        Assert.Equal(13, all.Count);

        var pages = new List<(string? Previous, List<string> Ids)>();
        string? cursor = null;
        do
        {
            var page = (await Admin.ApiGetAsync($"/api/v1/audit-events?projectId={projectId}&limit=5" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")))
                .AssertStatus(HttpStatusCode.OK).Body;
            pages.Add((page.GetProperty("previous").GetString(),
                page.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList()));
            cursor = page.GetProperty("next").GetString();
            Assert.True(pages.Count <= 4, "paging does not end");
        }
        while (cursor is not null);

        Assert.Equal([5, 5, 3], pages.Select(p => p.Ids.Count));
        Assert.Equal(all, pages.SelectMany(p => p.Ids));
        Assert.Null(pages[0].Previous);
        var back = (await Admin.ApiGetAsync($"/api/v1/audit-events?projectId={projectId}&limit=5&cursor={Uri.EscapeDataString(pages[2].Previous!)}"))
            .AssertStatus(HttpStatusCode.OK).Body;
        Assert.Equal(pages[1].Ids, back.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!));
    }

    [Fact]
    public async Task List_Events_AreNewestFirst()
    {
        var projectId = await Admin.CreateProjectAsync();
        for (var i = 0; i < 3; i++)
        {
            (await Admin.ApiPostAsync($"/api/v1/projects/{projectId}", new { displayName = $"Renamed {i}" })).AssertStatus(HttpStatusCode.OK);
        }

        var events = await EventsAsync($"projectId={projectId}&limit=100");

        Assert.Equal(["project.updated", "project.updated", "project.updated", "project.created"], events.Select(e => e.Action));
        Assert.Equal(events.OrderByDescending(e => e.Created).ThenByDescending(e => e.Id, StringComparer.Ordinal).Select(e => e.Id), events.Select(e => e.Id));
    }

    [Fact]
    public async Task List_FromAndTo_KeepTheHalfOpenRangeAndPageThroughIt()
    {
        var projectId = await Admin.CreateProjectAsync();
        for (var i = 0; i < 8; i++)
        {
            (await Admin.ApiPostAsync($"/api/v1/projects/{projectId}", new { displayName = $"Timed {i}" })).AssertStatus(HttpStatusCode.OK);
        }
        var all = await EventsAsync($"projectId={projectId}&limit=100");
        Assert.Equal(9, all.Count);
        // Bounds taken from events themselves: `from` keeps its own event, `to` leaves its own out.
        var from = all[6].CreatedText;
        var to = all[1].CreatedText;
        var expected = all.Where(e => e.Created >= all[6].Created && e.Created < all[1].Created).Select(e => e.Id).ToList();
        Assert.Contains(all[6].Id, expected);
        Assert.DoesNotContain(all[1].Id, expected);

        var inRange = await EventsAsync($"projectId={projectId}&limit=100&from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}");
        Assert.Equal(expected, inRange.Select(e => e.Id));

        // Only a lower or an upper bound.
        Assert.Equal(all.Where(e => e.Created >= all[6].Created).Select(e => e.Id),
            (await EventsAsync($"projectId={projectId}&limit=100&from={Uri.EscapeDataString(from)}")).Select(e => e.Id));
        Assert.Equal(all.Where(e => e.Created < all[1].Created).Select(e => e.Id),
            (await EventsAsync($"projectId={projectId}&limit=100&to={Uri.EscapeDataString(to)}")).Select(e => e.Id));

        // The same instant written with another offset is the same bound.
        var shifted = all[6].Created.ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(all.Where(e => e.Created >= all[6].Created).Select(e => e.Id),
            (await EventsAsync($"projectId={projectId}&limit=100&from={Uri.EscapeDataString(shifted)}")).Select(e => e.Id));

        // Paging two at a time inside the range: every event once, in order, forward and back.
        var range = $"projectId={projectId}&from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}&limit=2";
        var pages = new List<(string? Previous, List<string> Ids)>();
        string? cursor = null;
        do
        {
            var page = (await Admin.ApiGetAsync($"/api/v1/audit-events?{range}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")))
                .AssertStatus(HttpStatusCode.OK).Body;
            pages.Add((page.GetProperty("previous").GetString(), page.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList()));
            cursor = page.GetProperty("next").GetString();
            Assert.True(pages.Count <= expected.Count, "paging does not end");
        }
        while (cursor is not null);
        Assert.Equal(expected, pages.SelectMany(p => p.Ids));
        Assert.Null(pages[0].Previous);
        var back = (await Admin.ApiGetAsync($"/api/v1/audit-events?{range}&cursor={Uri.EscapeDataString(pages[1].Previous!)}")).AssertStatus(HttpStatusCode.OK).Body;
        Assert.Equal(pages[0].Ids, back.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!));

        // A range in the future holds nothing.
        Assert.Empty(await EventsAsync($"projectId={projectId}&from=2999-01-01T00:00:00Z"));
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-01-31T09:00:00", "from")]
    [InlineData("from=2026-01-31", "from")]
    [InlineData("from=2026-01-31%2009:00:00Z", "from")]
    [InlineData("from=2026-13-01T00:00:00Z", "from")]
    [InlineData("from=2026-02-30T00:00:00Z", "from")]
    [InlineData("from=0001-01-01T00:00:00%2B01:00", "from")]
    [InlineData("from=1738314000", "from")]
    [InlineData("to=2026-01-31T25:00:00Z", "to")]
    [InlineData("to=2026-01-31T09:00:00%2B2:00", "to")]
    [InlineData("to=%00", "to")]
    [InlineData("from=2026-01-31T09:00:00Z&to=2026-01-31T09:00:00Z", "to")]
    [InlineData("from=2026-01-31T10:00:00Z&to=2026-01-31T11:00:00%2B02:00", "to")]
    public async Task List_BadFromOrTo_Is400ValidationNamingTheField(string query, string field)
    {
        var response = await Admin.ApiGetAsync($"/api/v1/audit-events?{query}");

        response.AssertValidation(field);
        Assert.Contains(field, response.Body.GetProperty("params").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_HugeFrom_Is400NotA500()
    {
        var response = await Admin.ApiGetAsync($"/api/v1/audit-events?from=2026-01-31T09:00:00{new string('0', 4000)}Z");

        response.AssertValidation("from");
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=many", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    public async Task List_BadLimitOrCursor_Is400Validation(string query, string field)
    {
        var response = await Admin.ApiGetAsync($"/api/v1/audit-events?{query}");

        response.AssertValidation(field);
    }

    private sealed record Event(string Id, string Action, DateTimeOffset Created, string CreatedText);

    private async Task<List<Event>> EventsAsync(string query) =>
        (await Admin.ApiGetAsync($"/api/v1/audit-events?{query}")).AssertStatus(HttpStatusCode.OK).Body.GetProperty("data").EnumerateArray()
            .Select(e => new Event(e.GetProperty("id").GetString()!, e.GetProperty("action").GetString()!,
                e.GetProperty("created").GetDateTimeOffset(), e.GetProperty("created").GetString()!))
            .ToList();

    private static void AssertEvent(JsonElement e, string action, string entityType, string entityId)
    {
        Assert.Equal(action, e.GetProperty("action").GetString());
        Assert.Equal("PLATFORM_API_KEY", e.GetProperty("actorType").GetString());
        Assert.False(string.IsNullOrEmpty(e.GetProperty("actorId").GetString()));
        Assert.Equal(entityType, e.GetProperty("entityType").GetString());
        Assert.Equal(entityId, e.GetProperty("entityId").GetString());
        Assert.True(e.GetProperty("created").GetDateTime() > DateTime.MinValue);
        Assert.False(string.IsNullOrEmpty(e.GetProperty("id").GetString()));
    }

    private async Task<List<string>> AllPagesAsync(string query)
    {
        var pages = new List<string>();
        string? cursor = null;
        do
        {
            var response = (await Admin.ApiGetAsync($"/api/v1/audit-events?limit=100&{query}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")))
                .AssertStatus(HttpStatusCode.OK);
            pages.Add(response.Raw);
            cursor = response.Body.GetProperty("next").GetString();
        }
        while (cursor is not null);
        return pages;
    }
}

public sealed class AuditEventsApiSqliteTests(SqliteFixture fixture) : AuditEventsApiTests(fixture), IClassFixture<SqliteFixture>;

public sealed class AuditEventsApiPostgresTests(PostgresFixture fixture) : AuditEventsApiTests(fixture), IClassFixture<PostgresFixture>;
