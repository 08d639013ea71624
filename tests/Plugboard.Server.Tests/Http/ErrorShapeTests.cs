using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Audit;
using Plugboard.Server.Connections;
using Plugboard.Server.Projects;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Http;

/// Every failure answers the one contract body as application/problem+json, never a 500 nor internals.
public abstract class ErrorShapeTests(AppFixture fixture)
{
    private readonly TestApp _app = fixture.App;
    private readonly Plugboard.Server.Data.DatabaseEngine _engine = fixture.Engine;
    private HttpClient Admin => _app.Client();

    public static TheoryData<string> PostRoutes => ["/api/v1/app-connections", "/api/v1/projects", "/api/v1/global-connections"];

    [Theory]
    [MemberData(nameof(PostRoutes))]
    public async Task Post_MalformedJson_Is400ValidationProblem(string route)
    {
        foreach (var body in new[] { """{"displayName": "x",""", """{"displayName": "x" "pieceName": "y"}""", "{", "not json at all", """{"displayName": 'x'}""" })
        {
            var response = await Admin.ApiPostRawAsync(route, body);

            AssertProblem(response, HttpStatusCode.BadRequest, "VALIDATION");
        }
    }

    [Theory]
    [MemberData(nameof(PostRoutes))]
    public async Task Post_JsonArrayOrScalarBody_Is400Validation(string route)
    {
        foreach (var body in new[] { """[{"displayName": "x"}]""", "[]", "5", "\"text\"", "null" })
        {
            var response = await Admin.ApiPostRawAsync(route, body);

            AssertProblem(response, HttpStatusCode.BadRequest, "VALIDATION");
        }
    }

    [Theory]
    [MemberData(nameof(PostRoutes))]
    public async Task Post_WrongJsonTypeForAField_Is400NamingTheField(string route)
    {
        var projectId = await Admin.CreateProjectAsync();
        foreach (var (json, field) in new[]
                 {
                     ($$$"""{"projectId":"{{{projectId}}}","displayName":5,"externalId":"e","pieceName":"p"}""", "displayName"),
                     ($$$"""{"projectId":"{{{projectId}}}","displayName":{"a":1},"externalId":"e"}""", "displayName"),
                     ($$$"""{"projectId":"{{{projectId}}}","displayName":"ok","externalId":true}""", "externalId"),
                 })
        {
            var response = await Admin.ApiPostRawAsync(route, json);

            AssertProblem(response, HttpStatusCode.BadRequest, "VALIDATION");
            Assert.Equal(field, response.Body.GetProperty("params").GetProperty("field").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(PostRoutes))]
    public async Task Post_EmptyBody_Is400Validation(string route)
    {
        var response = await Admin.ApiPostRawAsync(route, "");

        AssertProblem(response, HttpStatusCode.BadRequest, "VALIDATION");
    }

    [Theory]
    [MemberData(nameof(PostRoutes))]
    public async Task Post_NonJsonContentType_Is415WithTheContractBody(string route)
    {
        using var content = new StringContent("""{"displayName":"x"}""", Encoding.UTF8, "text/plain");
        using var http = await Admin.PostAsync(route, content);
        var response = new ApiResponse(http.StatusCode, await http.Content.ReadAsStringAsync(), http.Content.Headers.ContentType?.MediaType);

        AssertProblem(response, HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
    }

    [Fact]
    public async Task Post_BodyOverOneMiB_Is413PayloadTooLargeAndWritesNothing()
    {
        var projectId = await Admin.CreateProjectAsync();
        var externalId = Api.Unique("huge");
        var auditBefore = await _app.WithDbAsync(db => db.AuditEvents.CountAsync());
        var huge = new string('m', 1_200_000);

        // StringContent: sent with its Content-Length, which the server checks before reading.
        (string Path, object Body)[] requests =
        [
            ("/api/v1/app-connections", new
            {
                projectId, externalId, displayName = "Huge", pieceName = "@activepieces/piece-slack", type = "SECRET_TEXT",
                value = new { type = "SECRET_TEXT", secret_text = "s" }, metadata = new { huge },
            }),
            ("/api/v1/projects", new { displayName = "Huge", externalId, metadata = new { huge } }),
            ("/api/v1/global-connections", new
            {
                externalId, displayName = "Huge", pieceName = "p", type = "SECRET_TEXT", value = new { type = "SECRET_TEXT", secret_text = huge },
            }),
            ($"/api/v1/projects/{projectId}", new { metadata = new { huge } }),
        ];
        foreach (var (path, body) in requests)
        {
            var response = await Admin.ApiPostRawAsync(path, JsonSerializer.Serialize(body));

            AssertProblem(response, HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
        }
        Assert.False(await _app.WithDbAsync(db => db.AppConnections.AnyAsync(c => c.ExternalId == externalId)));
        Assert.False(await _app.WithDbAsync(db => db.Projects.AnyAsync(p => p.ExternalId == externalId)));
        Assert.Equal(auditBefore, await _app.WithDbAsync(db => db.AuditEvents.CountAsync()));
        var stored = (await Admin.ApiGetAsync($"/api/v1/projects/{projectId}")).AssertStatus(HttpStatusCode.OK);
        Assert.False(stored.Body.GetProperty("metadata").TryGetProperty("huge", out _));
    }

    /// Without a Content-Length the limit is the server's own (Kestrel's MaxRequestBodySize): the
    /// in-memory test server has none, so this runs the app on real Kestrel, on storage of its own.
    [Fact]
    public async Task Post_ChunkedBodyOverOneMiBOnKestrel_Is413PayloadTooLargeAndWritesNothing()
    {
        await using var storage = await TestStorage.CreateAsync(_engine);
        await using var kestrel = new TestApp(storage);
        kestrel.UseKestrel(0);
        kestrel.StartServer();
        var admin = kestrel.Client();
        var projectId = await admin.CreateProjectAsync();
        var externalId = Api.Unique("chunked");
        var json = JsonSerializer.Serialize(new
        {
            projectId, externalId, displayName = "Huge", pieceName = "p", type = "SECRET_TEXT",
            value = new { type = "SECRET_TEXT", secret_text = "s" }, metadata = new { huge = new string('m', 1_200_000) },
        });

        foreach (var path in new[] { "/api/v1/app-connections", "/api/v1/projects", $"/api/v1/projects/{projectId}" })
        {
            using var content = new StreamContent(new UnseekableStream(Encoding.UTF8.GetBytes(json)));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
            request.Headers.TransferEncodingChunked = true;

            using var http = await admin.SendAsync(request);
            var response = new ApiResponse(http.StatusCode, await http.Content.ReadAsStringAsync(), http.Content.Headers.ContentType?.MediaType);

            AssertProblem(response, HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
        }
        Assert.False(await kestrel.WithDbAsync(db => db.AppConnections.AnyAsync(c => c.ExternalId == externalId)));
        Assert.False(await kestrel.WithDbAsync(db => db.Projects.AnyAsync(p => p.ExternalId == externalId)));
    }

    [Theory]
    [InlineData("GET", "/api/v1/nope")]
    [InlineData("POST", "/api/v1/nope")]
    [InlineData("DELETE", "/api/v1/nope/deeper/still")]
    [InlineData("GET", "/api/v2/app-connections")]
    [InlineData("GET", "/api/v1/app-connections/some/extra")]
    public async Task AnyMethod_UnknownApiRoute_Is404WithTheContractBody(string method, string path)
    {
        foreach (var client in new[] { Admin, _app.Client(null) })
        {
            var response = await Api.SendAsync(client, new HttpMethod(method), path, method == "POST" ? new { } : null);

            AssertProblem(response, HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        }
    }

    [Theory]
    [InlineData("PUT", "/api/v1/app-connections")]
    [InlineData("PATCH", "/api/v1/projects/someProject0000000000")]
    [InlineData("DELETE", "/api/v1/app-connections")]
    [InlineData("POST", "/api/v1/audit-events")]
    public async Task UnmappedMethod_KnownRoute_Is405WithAllowAndTheContractBody(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "PUT" or "PATCH" or "POST")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }
        using var http = await Admin.SendAsync(request);
        var response = new ApiResponse(http.StatusCode, await http.Content.ReadAsStringAsync(), http.Content.Headers.ContentType?.MediaType);

        AssertProblem(response, HttpStatusCode.MethodNotAllowed, "METHOD_NOT_ALLOWED");
        Assert.NotEmpty(http.Content.Headers.Allow);
        Assert.DoesNotContain(method, http.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("/api/v1/app-connections?projectId={project}&limit=-1")]
    [InlineData("/api/v1/app-connections?projectId={project}&cursor=bm9wZQ==")]
    [InlineData("/api/v1/app-connections?projectId={project}&status=EXPIRED")]
    [InlineData("/api/v1/projects?limit=1000")]
    [InlineData("/api/v1/audit-events?cursor=%25%25%25")]
    [InlineData("/api/v1/global-connections?status=NOPE")]
    [InlineData("/api/v1/api-keys?limit=abc")]
    public async Task Get_BadQuery_Is400ValidationProblem(string path)
    {
        if (path.Contains("{project}", StringComparison.Ordinal))
        {
            path = path.Replace("{project}", await Admin.CreateProjectAsync(), StringComparison.Ordinal);
        }

        AssertProblem(await Admin.ApiGetAsync(path), HttpStatusCode.BadRequest, "VALIDATION");
    }

    /// The contract body and RFC 7807 fields together, as application/problem+json, without internals.
    private static void AssertProblem(ApiResponse response, HttpStatusCode status, string code)
    {
        Assert.True(response.Status == status, $"expected {(int)status} {code}, got {(int)response.Status}: {response.Raw[..Math.Min(response.Raw.Length, 400)]}");
        AssertNoInternals(response);
        response.AssertError(status, code);
        var body = response.Body;
        Assert.StartsWith("https://", body.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(code, body.GetProperty("title").GetString());
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.Equal(body.GetProperty("params").GetProperty("message").GetString(), body.GetProperty("detail").GetString());
    }

    private static void AssertNoInternals(ApiResponse response)
    {
        Assert.DoesNotContain("   at ", response.Raw, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", response.Raw, StringComparison.Ordinal);
        Assert.DoesNotContain("Plugboard.Server.", response.Raw, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", response.Raw, StringComparison.Ordinal);
    }

    /// A body of unknown length, so the client sends it chunked, without Content-Length.
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

public sealed class ErrorShapeSqliteTests(SqliteFixture fixture) : ErrorShapeTests(fixture), IClassFixture<SqliteFixture>;

public sealed class ErrorShapePostgresTests(PostgresFixture fixture) : ErrorShapeTests(fixture), IClassFixture<PostgresFixture>;
