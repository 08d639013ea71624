using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Audit;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Platform;

/// A platform's allowedOrigins (who may open its embeddable Connect screen): set at create by the operator, changed by
/// POST /api/v1/platforms/{id} with the operator key or the platform's own platform key, validated and normalized.
public abstract class PlatformOriginsTests(OperatorFixture fixture)
{
    private readonly TestApp _app = fixture.App;
    private HttpClient Operator => fixture.Operator;

    private static List<string> Origins(ApiResponse response) =>
        [.. response.Body.GetProperty("allowedOrigins").EnumerateArray().Select(o => o.GetString()!)];

    [Fact]
    public async Task Create_WithAllowedOrigins_StoresThemNormalizedAndShowsThem()
    {
        var created = (await Operator.ApiPostAsync("/api/v1/platforms", new
        {
            name = Api.Unique("origins"),
            allowedOrigins = new[] { "HTTPS://App.Example.com/", "http://127.0.0.1:5080", "https://app.example.com:443", "http://[::1]:8080" },
        })).AssertStatus(HttpStatusCode.Created);

        Assert.Equal(["https://app.example.com", "http://127.0.0.1:5080", "http://[::1]:8080"], Origins(created));
        var read = (await Operator.ApiGetAsync($"/api/v1/platforms/{created.Str("id")}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(Origins(created), Origins(read));
    }

    [Fact]
    public async Task Create_WithoutAllowedOrigins_HasNone()
    {
        var (id, _) = await fixture.CreatePlatformAsync();

        Assert.Empty(Origins((await Operator.ApiGetAsync($"/api/v1/platforms/{id}")).AssertStatus(HttpStatusCode.OK)));
    }

    [Fact]
    public async Task Update_Operator_ReplacesTheOriginsAndRecordsIt()
    {
        var (id, _) = await fixture.CreatePlatformAsync();

        var updated = (await Operator.ApiPostAsync($"/api/v1/platforms/{id}", new { allowedOrigins = new[] { "https://saas.example" } }))
            .AssertStatus(HttpStatusCode.OK);
        Assert.Equal(["https://saas.example"], Origins(updated));
        var again = (await Operator.ApiPostAsync($"/api/v1/platforms/{id}", new { allowedOrigins = new[] { "https://other.example", "http://localhost:3000" } }))
            .AssertStatus(HttpStatusCode.OK);
        Assert.Equal(["https://other.example", "http://localhost:3000"], Origins(again));

        var events = await _app.WithDbAsync(db => db.AuditEvents.AsNoTracking().Where(e => e.PlatformId == id && e.Action == "platform.updated").ToListAsync());
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal("OPERATOR", e.ActorType));
    }

    [Fact]
    public async Task Update_NameOnly_KeepsTheOrigins()
    {
        var (id, _) = await fixture.CreatePlatformAsync();
        (await Operator.ApiPostAsync($"/api/v1/platforms/{id}", new { allowedOrigins = new[] { "https://keep.example" } })).AssertStatus(HttpStatusCode.OK);

        var renamed = (await Operator.ApiPostAsync($"/api/v1/platforms/{id}", new { name = "Renamed" })).AssertStatus(HttpStatusCode.OK);

        Assert.Equal("Renamed", renamed.Str("name"));
        Assert.Equal(["https://keep.example"], Origins(renamed));
    }

    [Fact]
    public async Task Update_OwnPlatformKey_Is200AndAnotherPlatformIsNotFound()
    {
        var (mine, myKey) = await fixture.CreatePlatformAsync();
        var (theirs, _) = await fixture.CreatePlatformAsync();
        var client = _app.Client(myKey);

        var updated = (await client.ApiPostAsync($"/api/v1/platforms/{mine}", new { allowedOrigins = new[] { "https://mine.example" } })).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(["https://mine.example"], Origins(updated));
        (await client.ApiPostAsync($"/api/v1/platforms/{theirs}", new { allowedOrigins = new[] { "https://evil.example" } }))
            .AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        Assert.Empty(Origins((await Operator.ApiGetAsync($"/api/v1/platforms/{theirs}")).AssertStatus(HttpStatusCode.OK)));
        // The platform key reads its own platform (another is not found); the operator's other routes stay closed to it.
        Assert.Equal(["https://mine.example"], Origins((await client.ApiGetAsync($"/api/v1/platforms/{mine}")).AssertStatus(HttpStatusCode.OK)));
        (await client.ApiGetAsync($"/api/v1/platforms/{theirs}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        (await client.ApiGetAsync("/api/v1/platforms")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        var recorded = await _app.WithDbAsync(db => db.AuditEvents.AsNoTracking().SingleAsync(e => e.PlatformId == mine && e.Action == "platform.updated"));
        Assert.Equal("PLATFORM_API_KEY", recorded.ActorType);
    }

    [Fact]
    public async Task Update_ProjectKeyOrNoKey_IsRefusedAndChangesNothing()
    {
        var (id, key) = await fixture.CreatePlatformAsync();
        var admin = _app.Client(key);
        var projectId = await admin.CreateProjectAsync();
        var projectKey = (await admin.ApiPostAsync("/api/v1/api-keys", new { displayName = "project", projectId })).AssertStatus(HttpStatusCode.Created).Str("value");

        (await _app.Client(projectKey).ApiPostAsync($"/api/v1/platforms/{id}", new { allowedOrigins = new[] { "https://x.example" } }))
            .AssertError(HttpStatusCode.Forbidden, "AUTHORIZATION");
        (await _app.Client(null).ApiPostAsync($"/api/v1/platforms/{id}", new { allowedOrigins = new[] { "https://x.example" } }))
            .AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        (await _app.Client("sk-not-a-real-key-0123456789").ApiPostAsync($"/api/v1/platforms/{id}", new { allowedOrigins = new[] { "https://x.example" } }))
            .AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");

        Assert.Empty(Origins((await Operator.ApiGetAsync($"/api/v1/platforms/{id}")).AssertStatus(HttpStatusCode.OK)));
    }

    [Fact]
    public async Task Update_UnknownPlatform_Is404() =>
        (await Operator.ApiPostAsync("/api/v1/platforms/no_such_platform", new { allowedOrigins = Array.Empty<string>() }))
            .AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");

    [Theory]
    [InlineData("ftp://files.example")]
    [InlineData("https://app.example/path")]
    [InlineData("https://app.example?x=1")]
    [InlineData("https://app.example#top")]
    [InlineData("https://user:pw@app.example")]
    [InlineData("app.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https://app example")]
    [InlineData("")]
    [InlineData("*")]
    public async Task Update_NotAnOrigin_Is400NamingTheFieldAndChangesNothing(string origin)
    {
        var (id, _) = await fixture.CreatePlatformAsync();

        (await Operator.ApiPostAsync($"/api/v1/platforms/{id}", new { allowedOrigins = new[] { "https://ok.example", origin } })).AssertValidation("allowedOrigins");
        (await Operator.ApiPostAsync("/api/v1/platforms", new { name = Api.Unique("bad"), allowedOrigins = new[] { origin } })).AssertValidation("allowedOrigins");

        Assert.Empty(Origins((await Operator.ApiGetAsync($"/api/v1/platforms/{id}")).AssertStatus(HttpStatusCode.OK)));
    }

    [Fact]
    public async Task Update_MoreThanTwentyOrigins_Is400()
    {
        var (id, _) = await fixture.CreatePlatformAsync();
        var origins = Enumerable.Range(0, 21).Select(i => $"https://app{i}.example").ToArray();

        (await Operator.ApiPostAsync($"/api/v1/platforms/{id}", new { allowedOrigins = origins })).AssertValidation("allowedOrigins");
        (await Operator.ApiPostAsync($"/api/v1/platforms/{id}", new { allowedOrigins = origins[..20] })).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Update_NotAList_Is400()
    {
        var (id, _) = await fixture.CreatePlatformAsync();

        var response = await Operator.ApiPostRawAsync($"/api/v1/platforms/{id}", """{"allowedOrigins":"https://app.example"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(JsonValueKind.Object, response.Body.ValueKind);
    }
}

public sealed class PlatformOriginsSqliteTests(SqliteOperatorFixture fixture) : PlatformOriginsTests(fixture), IClassFixture<SqliteOperatorFixture>;

public sealed class PlatformOriginsPostgresTests(PostgresOperatorFixture fixture) : PlatformOriginsTests(fixture), IClassFixture<PostgresOperatorFixture>;
