using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Pieces;
using Plugboard.Server.Projects;
using Plugboard.Server.Tests.Engine;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Server.Tests.Pieces;

namespace Plugboard.Server.Tests.Http;

/// What the door refuses before any handler sees it: JSON the server could not store and write back out
/// (lone surrogates, NUL, nesting beyond 32 levels), NUL in query strings, non-npm piece names, and the
/// framework's own wording for bodies and credentials, each a 400 VALIDATION naming the field.
public abstract class RequestChecksTests(AppFixture fixture)
{
    private readonly TestApp _app = fixture.App;
    private HttpClient Admin => _app.Client();

    [Theory]
    [InlineData("""{"a":"\ud800"}""", "metadata.a")]
    [InlineData("""{"a":"x\udc00y"}""", "metadata.a")]
    [InlineData("""{"a":"\udc00\ud800"}""", "metadata.a")]
    [InlineData("""{"a":{"b":["ok","\ud83d"]}}""", "metadata.a.b[1]")]
    [InlineData("""{"\ud800":1}""", "metadata")]
    [InlineData("""{"a":"x\u0000y"}""", "metadata.a")]
    [InlineData("""{"a\u0000":1}""", "metadata")]
    public async Task CreateProject_UnstorableMetadataText_Is400NamingThePathAndStoresNothing(string metadata, string field)
    {
        var externalId = Api.Unique("org");

        var response = await Admin.ApiPostRawAsync("/api/v1/projects", $$"""{"displayName":"p","externalId":"{{externalId}}","metadata":{{metadata}}}""");

        response.AssertValidation(field);
        Assert.False(await _app.WithDbAsync(db => db.Projects.AnyAsync(p => p.ExternalId == externalId)));
        (await Admin.ApiGetAsync("/api/v1/projects?limit=100")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task CreateProject_LoneSurrogateMessage_NeverEchoesTheValue()
    {
        var response = await Admin.ApiPostRawAsync("/api/v1/projects", """{"displayName":"p","metadata":{"a":"secret-ish\ud800"}}""");

        response.AssertValidation("metadata.a");
        Assert.DoesNotContain("secret-ish", response.Raw, StringComparison.Ordinal);
        Assert.Contains("surrogate", response.Body.GetProperty("params").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_LoneSurrogateInAnyField_Is400NamingIt()
    {
        var projectId = await Admin.CreateProjectAsync();
        var connection = $$$"""
            {"projectId":"{{{projectId}}}","externalId":"e_{{{Guid.NewGuid():N}}}","displayName":"D","pieceName":"@activepieces/piece-slack","type":"SECRET_TEXT",
             "value":{"type":"SECRET_TEXT","secret_text":"S"}}
            """;
        foreach (var (path, json, field) in new[]
                 {
                     ("/api/v1/app-connections", connection.Replace("\"S\"", "\"s\\ud800\"", StringComparison.Ordinal), "value.secret_text"),
                     ("/api/v1/app-connections", connection.Replace("\"type\":\"SECRET_TEXT\",\"secret_text\"", "\"type\":\"\\udfff\",\"secret_text\"", StringComparison.Ordinal), "value.type"),
                     ("/api/v1/app-connections", connection.Replace("\"D\"", "\"D\\ud800\"", StringComparison.Ordinal), "displayName"),
                     ("/api/v1/app-connections", connection.Replace("\"S\"", "\"s\\u0000\"", StringComparison.Ordinal), "value.secret_text"),
                     ("/api/v1/global-connections",
                         """{"externalId":"g","displayName":"G","pieceName":"@activepieces/piece-gelato","type":"CUSTOM_AUTH","value":{"type":"CUSTOM_AUTH","props":{"api_key":"\ud800"}},"scope":"PLATFORM","projectIds":[]}""",
                         "value.props.api_key"),
                     ("/api/v1/global-connections", """{"externalId":"g","displayName":"G\u0000","pieceName":"p","type":"SECRET_TEXT","value":{"type":"SECRET_TEXT","secret_text":"s"}}""", "displayName"),
                     ("/api/v1/engine-tokens", """{"projectId":"a\u0000b"}""", "projectId"),
                     ("/api/v1/api-keys", """{"displayName":"k","projectId":"\u0000"}""", "projectId"),
                     ("/api/v1/flows", $$$"""{"projectId":"{{{projectId}}}","displayName":"f","status":"DISABLED","trigger":{"name":"t","pieceName":"p","operation":"o","input":{"x":"\ud800"}},"steps":[]}""", "trigger.input.x"),
                     ($"/api/v1/projects/{projectId}/members", """{"externalUserId":"u\u0000","role":"ADMIN"}""", "externalUserId"),
                 })
        {
            var response = await Admin.ApiPostRawAsync(path, json);

            Assert.True(response.Status == HttpStatusCode.BadRequest, $"{path} {field}: {(int)response.Status} {response.Raw}");
            response.AssertValidation(field);
        }
    }

    [Fact]
    public async Task Post_NestingOver32Levels_Is400AndExactly32IsStoredAndListed()
    {
        var externalId = Api.Unique("deep");

        var tooDeep = await Admin.ApiPostRawAsync("/api/v1/projects", $$"""{"displayName":"p","externalId":"{{externalId}}","metadata":{{Deep(33)}}}""");
        var deepest = await Admin.ApiPostRawAsync("/api/v1/projects", $$"""{"displayName":"p","externalId":"{{externalId}}","metadata":{{Deep(32)}}}""");

        tooDeep.AssertValidation("metadata" + string.Concat(Enumerable.Repeat(".a", 32)));
        Assert.Contains("32", tooDeep.Body.GetProperty("params").GetProperty("message").GetString(), StringComparison.Ordinal);
        deepest.AssertStatus(HttpStatusCode.Created);
        var listed = (await Admin.ApiGetAsync($"/api/v1/projects?externalId={externalId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(Deep(32), Assert.Single(listed.Body.GetProperty("data").EnumerateArray()).GetProperty("metadata").GetRawText());
    }

    [Fact]
    public async Task CreateFlow_StepInputTooDeep_Is400NamingTheStep()
    {
        var projectId = await Admin.CreateProjectAsync();
        // steps[0].input sits 3 levels below the body, so 30 more levels take it past 32.
        var json = $$$"""{"projectId":"{{{projectId}}}","displayName":"f","status":"DISABLED","trigger":{"name":"t","pieceName":"p","operation":"o","input":{}},"steps":[{"name":"s","pieceName":"p","operation":"o","input":{"x":{{{Deep(30)}}}}}]}""";

        var response = await Admin.ApiPostRawAsync("/api/v1/flows", json);

        response.AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        Assert.StartsWith("steps[0].input.x.a", response.Body.GetProperty("params").GetProperty("field").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/projects?externalId=%00", "externalId")]
    [InlineData("/api/v1/projects?displayName=a%00b", "displayName")]
    [InlineData("/api/v1/app-connections?projectId=a%00b", "projectId")]
    [InlineData("/api/v1/app-connections?pieceName=%00", "pieceName")]
    [InlineData("/api/v1/global-connections?displayName=%00", "displayName")]
    [InlineData("/api/v1/users?externalId=%00", "externalId")]
    [InlineData("/api/v1/audit-events?action=%00", "action")]
    [InlineData("/api/v1/api-keys?projectId=%00", "projectId")]
    [InlineData("/api/v1/flows?projectId=%00", "projectId")]
    [InlineData("/api/v1/oauth-apps?pieceName=%00", "pieceName")]
    public async Task Get_NulInAQueryValue_Is400NamingTheParameter(string path, string field) =>
        (await Admin.ApiGetAsync(path)).AssertValidation(field);

    [Theory]
    [InlineData("/api/v1/pieces/%40acme%2Fa%00b")]
    [InlineData("/api/v1/projects/a%00b")]
    public async Task Get_NulInARouteValueOnKestrel_Is400(string path)
    {
        await using var storage = await TestStorage.CreateAsync(fixture.Engine);
        await using var kestrel = new TestApp(storage);
        kestrel.UseKestrel(0);
        kestrel.StartServer();

        var response = await kestrel.Client().ApiGetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
    }

    [Theory]
    [InlineData("/api/v1/projects")]
    [InlineData("/api/v1/app-connections")]
    [InlineData("/api/v1/engine-tokens")]
    public async Task Post_EmptyBody_SaysTheBodyIsRequired(string path)
    {
        var response = await Admin.ApiPostRawAsync(path, "");

        response.AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        Assert.Equal("The request body is required: send a JSON object.", Message(response));
    }

    [Theory]
    [InlineData("[]", "The request body must be a JSON object, not an array.")]
    [InlineData("[{\"displayName\":\"x\"}]", "The request body must be a JSON object, not an array.")]
    [InlineData("\"text\"", "The request body must be a JSON object, not a string.")]
    [InlineData("5", "The request body must be a JSON object, not a number.")]
    [InlineData("true", "The request body must be a JSON object, not true or false.")]
    [InlineData("null", "The request body must be a JSON object, not null.")]
    [InlineData("{\"displayName\":", "The request body is not valid JSON: it breaks in displayName.")]
    public async Task Post_BodyNotAnObject_SaysWhatItIs(string body, string message)
    {
        var response = await Admin.ApiPostRawAsync("/api/v1/projects", body);

        response.AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        Assert.Equal(message, Message(response));
    }

    [Theory]
    [InlineData("GET", "/api/v1/projects")]
    [InlineData("GET", "/api/v1/app-connections")]
    [InlineData("POST", "/api/v1/engine-tokens")]
    [InlineData("GET", "/api/v1/global-connections")]
    public async Task ManagementRoute_EngineToken_Is401SayingEngineTokensOpenOnlyWorkerRoutes(string method, string path)
    {
        var token = await Admin.EngineTokenAsync(await Admin.CreateProjectAsync());

        var response = await Api.SendAsync(_app.Client(token), new HttpMethod(method), path, method == "POST" ? new { } : null);

        response.AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        Assert.Equal("This route takes an API key (or an embedded session); engine tokens open only /api/v1/worker routes.", Message(response));
    }

    [Fact]
    public async Task ManagementRoute_MadeUpJwt_KeepsTheSessionMessage()
    {
        var response = await _app.Client("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl").ApiGetAsync("/api/v1/projects");

        response.AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        Assert.StartsWith("A valid session token is required", Message(response), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ｆｕｚｚ")]
    [InlineData("Piece-Upper")]
    [InlineData("@Acme/piece")]
    [InlineData(".hidden")]
    [InlineData("_private")]
    [InlineData("@acme/.x")]
    [InlineData("with space")]
    [InlineData("@acme/")]
    [InlineData("@/x")]
    [InlineData("a/b")]
    [InlineData("émoji")]
    public async Task Post_NonNpmPieceName_Is400NamingTheFieldWherePiecesAreNamed(string name)
    {
        var projectId = await Admin.CreateProjectAsync();

        (await Admin.ApiPostAsync("/api/v1/pieces", PiecesApiTests.Metadata(name, "1.0.0"))).AssertValidation("name");
        (await Admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, Api.Unique("e"), "s", pieceName: name))).AssertValidation("pieceName");
        var global = JsonSerializer.SerializeToNode(Api.Global(Api.Unique("g"), [projectId], "s"))!.AsObject();
        global["pieceName"] = name;
        (await Admin.ApiPostRawAsync("/api/v1/global-connections", global.ToJsonString())).AssertValidation("pieceName");
        var flow = new
        {
            projectId, displayName = "f", status = "DISABLED",
            trigger = new { name = "t", pieceName = "@activepieces/piece-webhook", operation = "catch", input = new { } },
            steps = new[] { new { name = "s", pieceName = name, operation = "o", input = new { } } },
        };
        (await Admin.ApiPostAsync("/api/v1/flows", flow)).AssertValidation("steps[0].pieceName");
        Assert.False(await _app.WithDbAsync(db => db.Pieces.AnyAsync(p => p.Name == name)));
    }

    [Theory]
    [InlineData("p")]
    [InlineData("@activepieces/piece-gelato")]
    [InlineData("piece.with_dots~and-dashes")]
    [InlineData("@a/b")]
    public async Task RegisterPiece_NpmName_IsAccepted(string name)
    {
        var scoped = name.StartsWith('@') ? name : $"{name}-{Guid.NewGuid():N}";

        (await Admin.ApiPostAsync("/api/v1/pieces", PiecesApiTests.Metadata(scoped, "1.0.0"))).AssertStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task RegisterPiece_NameOf215Characters_Is400AndOf214IsAccepted()
    {
        var stem = Guid.NewGuid().ToString("N");

        (await Admin.ApiPostAsync("/api/v1/pieces", PiecesApiTests.Metadata(stem + new string('x', 215 - stem.Length), "1.0.0"))).AssertValidation("name");
        (await Admin.ApiPostAsync("/api/v1/pieces", PiecesApiTests.Metadata(stem + new string('x', 214 - stem.Length), "1.0.0"))).AssertStatus(HttpStatusCode.Created);
    }

    private static string Message(ApiResponse response) => response.Body.GetProperty("params").GetProperty("message").GetString()!;

    /// `{"a":{"a":...1...}}` with `levels` objects.
    public static string Deep(int levels)
    {
        var text = new StringBuilder();
        for (var i = 0; i < levels; i++)
        {
            text.Append("{\"a\":");
        }
        return text.Append('1').Append('}', levels).ToString();
    }
}

public sealed class RequestChecksSqliteTests(SqliteFixture fixture) : RequestChecksTests(fixture), IClassFixture<SqliteFixture>;

public sealed class RequestChecksPostgresTests(PostgresFixture fixture) : RequestChecksTests(fixture), IClassFixture<PostgresFixture>;
