using System.Net;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Pieces;

/// GET/POST /api/v1/pieces: the platform's piece registry.
public abstract class PiecesApiTests(AppFixture fixture)
{
    private readonly HttpClient _admin = fixture.App.Client();

    public static object Metadata(string name, string version, string displayName = "Gelato", object[]? auth = null) => new
    {
        name,
        version,
        displayName,
        description = "Ice cream as a service",
        auth = auth ?? [PieceAuths.GelatoCustomAuth],
        actions = new object[] { new { name = "listFlavors", displayName = "List flavors", requireAuth = true, props = new { limit = new { displayName = "Limit", type = "NUMBER", required = false } } } },
        triggers = new object[] { new { name = "newFlavorCreated", displayName = "New flavor created", type = "POLLING", requireAuth = false, props = new { dropdown = new { displayName = "Dropdown", type = "DROPDOWN", required = true } } } },
    };

    [Fact]
    public async Task Register_NewThenSameVersion_CreatesThenReplaces()
    {
        var name = $"@acme/{Api.Unique("piece")}";

        var created = (await _admin.ApiPostAsync("/api/v1/pieces", Metadata(name, "0.1.0"))).AssertStatus(HttpStatusCode.Created);
        var replaced = (await _admin.ApiPostAsync("/api/v1/pieces", Metadata(name, "0.1.0", displayName: "Gelato 2"))).AssertStatus(HttpStatusCode.OK);

        Assert.Equal("Gelato", created.Str("displayName"));
        Assert.Equal("Gelato 2", replaced.Str("displayName"));
        var read = (await _admin.ApiGetAsync($"/api/v1/pieces/{name}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("Gelato 2", read.Str("displayName"));
        Assert.Equal("newFlavorCreated", read.Body.GetProperty("triggers")[0].GetProperty("name").GetString());
        Assert.False(read.Body.GetProperty("triggers")[0].GetProperty("requireAuth").GetBoolean());
        Assert.True(read.Body.GetProperty("auth")[0].GetProperty("props").GetProperty("api_key").GetProperty("required").GetBoolean());
    }

    [Fact]
    public async Task Get_SeveralVersions_LatestBySemverNotByTextOrTime()
    {
        var name = $"@acme/{Api.Unique("piece")}";
        foreach (var version in new[] { "0.10.0", "0.9.0", "0.11.0-beta.1", "0.2.0" })
        {
            (await _admin.ApiPostAsync("/api/v1/pieces", Metadata(name, version))).AssertStatus(HttpStatusCode.Created);
        }

        Assert.Equal("0.10.0", (await _admin.ApiGetAsync($"/api/v1/pieces/{name}")).Str("version"));
        Assert.Equal("0.9.0", (await _admin.ApiGetAsync($"/api/v1/pieces/{name}?version=0.9.0")).Str("version"));
        Assert.Equal("0.11.0-beta.1", (await _admin.ApiGetAsync($"/api/v1/pieces/{Uri.EscapeDataString(name)}?version=0.11.0-beta.1")).Str("version"));
        (await _admin.ApiGetAsync($"/api/v1/pieces/{name}?version=1.0.0")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");

        var list = (await _admin.ApiGetAsync("/api/v1/pieces")).AssertStatus(HttpStatusCode.OK);
        var entry = list.Body.GetProperty("data").EnumerateArray().Single(p => p.GetProperty("name").GetString() == name);
        Assert.Equal("0.10.0", entry.GetProperty("latestVersion").GetString());
        Assert.Equal(["0.11.0-beta.1", "0.10.0", "0.9.0", "0.2.0"], entry.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task Get_UnknownPiece_IsNotFound() =>
        (await _admin.ApiGetAsync("/api/v1/pieces/@acme/piece-nothing")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");

    public static TheoryData<string, object> InvalidMetadata() => new()
    {
        { "version", new { name = "@acme/p", version = "1.0", displayName = "P" } },
        { "name", new { version = "1.0.0", displayName = "P" } },
        { "displayName", new { name = "@acme/p", version = "1.0.0" } },
        { "auth[0].type", new { name = "@acme/p", version = "1.0.0", displayName = "P", auth = new[] { new { type = "MAGIC" } } } },
        { "auth[0].props.key.type", new { name = "@acme/p", version = "1.0.0", displayName = "P", auth = new[] { new { type = "CUSTOM_AUTH", props = new { key = new { type = "COLOR" } } } } } },
        { "auth[0].props.key.pattern", new { name = "@acme/p", version = "1.0.0", displayName = "P", auth = new[] { new { type = "CUSTOM_AUTH", props = new { key = new { type = "SECRET_TEXT", pattern = "([a-z" } } } } } },
        { "auth[0].props.region.options", new { name = "@acme/p", version = "1.0.0", displayName = "P", auth = new[] { new { type = "CUSTOM_AUTH", props = new { region = new { type = "STATIC_DROPDOWN" } } } } } },
        { "actions[1].name", new { name = "@acme/p", version = "1.0.0", displayName = "P", actions = new[] { new { name = "a" }, new { name = "a" } } } },
        { "triggers[0].type", new { name = "@acme/p", version = "1.0.0", displayName = "P", triggers = new[] { new { name = "t", type = "CRON" } } } },
        // Nulls where an object belongs (found by the fuzz test as a 500).
        { "actions[0]", new { name = "@acme/p", version = "1.0.0", displayName = "P", actions = new object?[] { null } } },
        { "triggers[1]", new { name = "@acme/p", version = "1.0.0", displayName = "P", triggers = new object?[] { new { name = "t" }, null } } },
        { "auth[0]", new { name = "@acme/p", version = "1.0.0", displayName = "P", auth = new object?[] { null } } },
        { "auth[0].props.key", new { name = "@acme/p", version = "1.0.0", displayName = "P", auth = new[] { new { type = "CUSTOM_AUTH", props = new Dictionary<string, object?> { ["key"] = null } } } } },
    };

    [Theory]
    [MemberData(nameof(InvalidMetadata))]
    public async Task Register_InvalidMetadata_IsAValidationErrorNamingTheField(string field, object body) =>
        (await _admin.ApiPostAsync("/api/v1/pieces", body)).AssertValidation(field);

    [Fact]
    public async Task Register_ProjectKey_IsForbiddenButItMayRead()
    {
        var projectId = await _admin.CreateProjectAsync();
        var projectKey = (await _admin.ApiPostAsync("/api/v1/api-keys", new { displayName = "project key", projectId })).Str("value");
        var name = $"@acme/{Api.Unique("piece")}";
        (await _admin.ApiPostAsync("/api/v1/pieces", Metadata(name, "1.0.0"))).AssertStatus(HttpStatusCode.Created);
        var project = fixture.App.Client(projectKey);

        (await project.ApiPostAsync("/api/v1/pieces", Metadata(name, "1.0.1"))).AssertError(HttpStatusCode.Forbidden, "AUTHORIZATION");
        (await project.ApiGetAsync($"/api/v1/pieces/{name}")).AssertStatus(HttpStatusCode.OK);
    }
}

public sealed class PiecesApiSqliteTests(SqliteFixture fixture) : PiecesApiTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PiecesApiPostgresTests(PostgresFixture fixture) : PiecesApiTests(fixture), IClassFixture<PostgresFixture>;
