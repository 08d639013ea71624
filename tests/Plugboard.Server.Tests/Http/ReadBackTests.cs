using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plugboard.Server.Tests.Engine;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Http;

/// Whatever the server accepts it can write back out: the worst inputs it takes (JSON exactly 32 levels
/// deep, surrogate pairs, every odd-but-valid character, the longest names and secrets) are stored in every
/// JSON field, and every list, read and engine route still answers 200 with a whole, parseable body that
/// holds them unchanged.
public abstract class ReadBackTests(AppFixture fixture)
{
    /// Valid text that trips naive code: a surrogate pair written escaped and raw, the highest code point,
    /// non-characters, BOM, zero-width and bidi controls, line and paragraph separators, combining marks,
    /// C0/C1 controls other than NUL, quotes, backslashes and what HTML escapes.
    private const string OddText =
        "\ud83d\ude00 😀 \udbff\udfff \uffff\ufffe \ufeff\u200b\u200d\u202e\u2066 \u2028\u2029 e\u0301 \u0001\u001f\u007f\u0085\u009f \"\\/ <script>&amp;' ｆｕｚｚ 𝔘𝔫𝔦";

    private readonly TestApp _app = fixture.App;
    private HttpClient Admin => _app.Client();

    [Fact]
    public async Task EveryRoute_WorstAcceptedInputsStored_Answers200WithWholeParseableBodies()
    {
        var externalId = ("worst😀\u202e\u2028" + Guid.NewGuid().ToString("N") + new string('x', 255))[..255];
        var metadata = WorstObject(levels: 32);
        var project = (await Admin.ApiPostAsync("/api/v1/projects", new { displayName = OddName(), externalId, metadata })).AssertStatus(HttpStatusCode.Created);
        var projectId = project.Str("id");
        AssertSame(metadata, project.Body.GetProperty("metadata"));

        // A connection: metadata 32 deep, a 64 KiB secret of odd text.
        var connectionExternalId = "c_" + Guid.NewGuid().ToString("N");
        var secret = Secret();
        var connection = new
        {
            projectId, externalId = connectionExternalId, displayName = OddName(), pieceName = MaxPieceName(), pieceVersion = "0.10.0",
            type = "SECRET_TEXT", value = new { type = "SECRET_TEXT", secret_text = secret }, metadata,
        };
        (await Admin.ApiPostAsync("/api/v1/app-connections", connection)).AssertStatus(HttpStatusCode.Created);

        // A global one shared with the project: props nested to the limit (value, props, then 30 more levels).
        var globalExternalId = "g_" + Guid.NewGuid().ToString("N");
        var props = WorstObject(levels: 31);
        var global = new
        {
            displayName = OddName(), pieceName = MaxPieceName(), metadata, type = "CUSTOM_AUTH",
            value = new { type = "CUSTOM_AUTH", props }, scope = "PLATFORM", projectIds = new[] { projectId }, externalId = globalExternalId,
        };
        (await Admin.ApiPostAsync("/api/v1/global-connections", global)).AssertStatus(HttpStatusCode.Created);

        // A flow: the trigger's input sits 2 levels below the body, a step's 3.
        var triggerInput = WorstObject(levels: 31);
        var stepInput = WorstObject(levels: 30);
        stepInput["auth"] = $"{{{{connections['{connectionExternalId}']}}}}";
        var flow = new
        {
            projectId, displayName = OddName(), status = "ENABLED",
            trigger = new { name = "trigger", pieceName = MaxPieceName(), operation = "new", input = triggerInput },
            steps = new[] { new { name = "step_1", pieceName = MaxPieceName(), pieceVersion = "0.10.0", operation = "send", input = stepInput } },
        };
        var flowId = (await Admin.ApiPostAsync("/api/v1/flows", flow)).AssertStatus(HttpStatusCode.Created).Str("id");

        var projects = await ReadAsync($"/api/v1/projects?externalId={Uri.EscapeDataString(externalId)}");
        AssertSame(metadata, Assert.Single(projects.GetProperty("data").EnumerateArray()).GetProperty("metadata"));
        await ReadAsync("/api/v1/projects?limit=100");
        AssertSame(metadata, (await ReadAsync($"/api/v1/projects/{projectId}")).GetProperty("metadata"));

        var connections = (await ReadAsync($"/api/v1/app-connections?projectId={projectId}&limit=100")).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2, connections.Count);
        Assert.All(connections, c => AssertSame(metadata, c.GetProperty("metadata")));
        await ReadAsync("/api/v1/global-connections?limit=100");
        await ReadAsync($"/api/v1/app-connections/owners?projectId={projectId}");

        var flows = (await ReadAsync($"/api/v1/flows?projectId={projectId}&limit=100")).GetProperty("data").EnumerateArray().ToList();
        var listed = Assert.Single(flows);
        AssertSame(triggerInput, listed.GetProperty("trigger").GetProperty("input"));
        AssertSame(stepInput, listed.GetProperty("steps")[0].GetProperty("input"));
        AssertSame(stepInput, (await ReadAsync($"/api/v1/flows/{flowId}")).GetProperty("steps")[0].GetProperty("input"));

        var engine = _app.Client(await Admin.EngineTokenAsync(projectId));
        var own = (await engine.ReadConnectionAsync(connectionExternalId)).AssertStatus(HttpStatusCode.OK).Body;
        Assert.Equal(secret, own.GetProperty("value").GetProperty("secret_text").GetString());
        AssertSame(metadata, own.GetProperty("metadata"));
        var shared = (await engine.ReadConnectionAsync(globalExternalId)).AssertStatus(HttpStatusCode.OK).Body;
        AssertSame(props, shared.GetProperty("value").GetProperty("props"));
        (await engine.ApiGetAsync("/api/v1/worker/project")).AssertStatus(HttpStatusCode.OK);

        await _app.FlushReadAuditAsync();
        await ReadAsync("/api/v1/audit-events?limit=100");
    }

    private async Task<JsonElement> ReadAsync(string path)
    {
        var response = (await Admin.ApiGetAsync(path)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("application/json", response.ContentType);
        return response.Body.Clone();
    }

    /// An object whose "deep" member nests until the object itself is `levels` deep, beside every odd text
    /// as a value and as a key, and numbers at the edges of what JSON says.
    private static JsonObject WorstObject(int levels)
    {
        JsonNode deep = JsonValue.Create(OddText)!;
        for (var i = 0; i < levels - 1; i++)
        {
            deep = i % 2 == 0 ? new JsonObject { ["a"] = deep } : new JsonArray(deep);
        }
        return new JsonObject
        {
            ["deep"] = deep,
            ["text"] = OddText,
            [OddText] = "key",
            [""] = "",
            ["big"] = 1.7976931348623157e308,
            ["small"] = 5e-324,
            ["long"] = long.MinValue,
            ["many"] = new JsonArray([.. Enumerable.Range(0, 200).Select(i => (JsonNode)JsonValue.Create(i)!)]),
        };
    }

    private static string OddName() => ("😀" + OddText.Replace("\u0001\u001f\u007f\u0085\u009f", "", StringComparison.Ordinal) + new string('n', 255))[..255];

    private static string MaxPieceName() => "@scope/" + new string('p', 214 - "@scope/".Length);

    private static string Secret()
    {
        var text = new StringBuilder();
        while (text.Length < 64 * 1024 - OddText.Length)
        {
            text.Append(OddText);
        }
        return text.Append('s', 64 * 1024 - text.Length).ToString();
    }

    private static void AssertSame(JsonNode expected, JsonElement actual) =>
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(expected.ToJsonString()).RootElement, actual), $"not the stored JSON: {actual.GetRawText()[..Math.Min(300, actual.GetRawText().Length)]}");
}

public sealed class ReadBackSqliteTests(SqliteFixture fixture) : ReadBackTests(fixture), IClassFixture<SqliteFixture>;

public sealed class ReadBackPostgresTests(PostgresFixture fixture) : ReadBackTests(fixture), IClassFixture<PostgresFixture>;
