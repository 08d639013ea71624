using System.Net;
using Plugboard.Server.Data;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Pieces;

/// A connection upserted for a registered piece must fit it: version, auth type, required and well-typed props.
public abstract class ConnectionPieceCheckTests(AppFixture fixture)
{
    private readonly HttpClient _admin = fixture.App.Client();

    private async Task<string> RegisterAsync(params string[] versions)
    {
        var name = $"@acme/{Api.Unique("gelato")}";
        foreach (var version in versions)
        {
            (await _admin.ApiPostAsync("/api/v1/pieces", PiecesApiTests.Metadata(name, version))).AssertStatus(HttpStatusCode.Created);
        }
        return name;
    }

    private static object Custom(string projectId, string pieceName, object props, string? pieceVersion = null, string externalId = "gelato") => new
    {
        projectId,
        externalId,
        displayName = "Gelato",
        pieceName,
        pieceVersion,
        type = "CUSTOM_AUTH",
        value = new { type = "CUSTOM_AUTH", props },
    };

    private static void AssertInvalid(ApiResponse response, string field, string? secret = null)
    {
        response.AssertError(HttpStatusCode.BadRequest, "INVALID_APP_CONNECTION");
        Assert.Equal(field, response.Body.GetProperty("params").GetProperty("field").GetString());
        if (secret is not null)
        {
            Assert.DoesNotContain(secret, response.Raw, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Upsert_FitsThePiece_StoresTheLatestVersionWhenNoneIsGiven()
    {
        var piece = await RegisterAsync("0.9.0", "0.10.0", "0.11.0-rc.1");
        var projectId = await _admin.CreateProjectAsync();

        var created = (await _admin.ApiPostAsync("/api/v1/app-connections", Custom(projectId, piece, new { api_key = "gel_1", region = "eu", sandbox = true, limit = 5 })))
            .AssertStatus(HttpStatusCode.Created);

        Assert.Equal("0.10.0", created.Str("pieceVersion"));
    }

    [Fact]
    public async Task Upsert_VersionRangeOrExact_StoresTheVersionItResolvesTo()
    {
        var piece = await RegisterAsync("0.9.0", "0.9.4", "0.10.0");
        var projectId = await _admin.CreateProjectAsync();

        Assert.Equal("0.9.4", (await _admin.ApiPostAsync("/api/v1/app-connections", Custom(projectId, piece, new { api_key = "gel_1" }, "~0.9.0", "a"))).Str("pieceVersion"));
        Assert.Equal("0.9.0", (await _admin.ApiPostAsync("/api/v1/app-connections", Custom(projectId, piece, new { api_key = "gel_1" }, "0.9.0", "b"))).Str("pieceVersion"));
    }

    [Fact]
    public async Task Upsert_UnknownVersion_IsInvalidNamingPieceVersion()
    {
        var piece = await RegisterAsync("0.9.0");
        var projectId = await _admin.CreateProjectAsync();

        AssertInvalid(await _admin.ApiPostAsync("/api/v1/app-connections", Custom(projectId, piece, new { api_key = "gel_1" }, "1.0.0")), "pieceVersion");
    }

    [Fact]
    public async Task Upsert_MissingRequiredProp_IsInvalidNamingTheProp()
    {
        var piece = await RegisterAsync("1.0.0");
        var projectId = await _admin.CreateProjectAsync();

        AssertInvalid(await _admin.ApiPostAsync("/api/v1/app-connections", Custom(projectId, piece, new { region = "eu" })), "value.props.api_key");
        AssertInvalid(await _admin.ApiPostAsync("/api/v1/app-connections", Custom(projectId, piece, new { api_key = "" })), "value.props.api_key");
    }

    public static TheoryData<string, object> IllTypedProps() => new()
    {
        { "value.props.api_key", new { api_key = "wrong_prefix_secret_value" } },
        { "value.props.api_key", new { api_key = 12345 } },
        { "value.props.region", new { api_key = "gel_1", region = "mars" } },
        { "value.props.sandbox", new { api_key = "gel_1", sandbox = "yes" } },
        { "value.props.limit", new { api_key = "gel_1", limit = "many" } },
    };

    [Theory]
    [MemberData(nameof(IllTypedProps))]
    public async Task Upsert_IllTypedProp_IsInvalidNamingItWithoutEchoingTheValue(string field, object props)
    {
        var piece = await RegisterAsync("1.0.0");
        var projectId = await _admin.CreateProjectAsync();

        AssertInvalid(await _admin.ApiPostAsync("/api/v1/app-connections", Custom(projectId, piece, props)), field, "wrong_prefix_secret_value");
    }

    [Fact]
    public async Task Upsert_TypeThePieceDoesNotTake_IsInvalidNamingType()
    {
        var piece = await RegisterAsync("1.0.0");
        var projectId = await _admin.CreateProjectAsync();

        var response = await _admin.ApiPostAsync("/api/v1/app-connections", WithoutVersion(projectId, piece));

        AssertInvalid(response, "type", "xoxb-secret");
    }

    [Fact]
    public async Task Upsert_OAuthPiece_AcceptsEveryOAuthType()
    {
        var name = $"@acme/{Api.Unique("gmail")}";
        (await _admin.ApiPostAsync("/api/v1/pieces", PiecesApiTests.Metadata(name, "1.0.0", auth: [PieceAuths.GoogleOAuth]))).AssertStatus(HttpStatusCode.Created);
        var projectId = await _admin.CreateProjectAsync();

        var response = await _admin.ApiPostAsync("/api/v1/app-connections", new
        {
            projectId, externalId = "gmail", displayName = "Gmail", pieceName = name, type = "CLOUD_OAUTH2",
            value = new { type = "CLOUD_OAUTH2", access_token = "at", refresh_token = "rt", expires_in = 3600, client_id = "c", token_url = "https://oauth2.googleapis.com/token" },
        });

        Assert.Equal("1.0.0", response.AssertStatus(HttpStatusCode.Created).Str("pieceVersion"));
    }

    [Fact]
    public async Task UpsertGlobal_MissingRequiredProp_IsInvalidToo()
    {
        var piece = await RegisterAsync("1.0.0");
        var projectId = await _admin.CreateProjectAsync();

        var response = await _admin.ApiPostAsync("/api/v1/global-connections", new
        {
            displayName = "Gelato", pieceName = piece, type = "CUSTOM_AUTH", value = new { type = "CUSTOM_AUTH", props = new { region = "eu" } },
            scope = "PLATFORM", projectIds = new[] { projectId }, externalId = Api.Unique("gelato"),
        });

        AssertInvalid(response, "value.props.api_key");
    }

    [Fact]
    public async Task Upsert_UnregisteredPiece_GetsStructuralChecksOnly()
    {
        var projectId = await _admin.CreateProjectAsync();

        var response = await _admin.ApiPostAsync("/api/v1/app-connections", Custom(projectId, "@acme/not-registered", new { anything = 1 }, "7.7.7"));

        Assert.Equal("7.7.7", response.AssertStatus(HttpStatusCode.Created).Str("pieceVersion"));
    }

    private static object WithoutVersion(string projectId, string piece) => new
    {
        projectId, externalId = "x", displayName = "Wrong type", pieceName = piece, type = "SECRET_TEXT",
        value = new { type = "SECRET_TEXT", secret_text = "xoxb-secret" },
    };
}

public sealed class ConnectionPieceCheckSqliteTests(SqliteFixture fixture) : ConnectionPieceCheckTests(fixture), IClassFixture<SqliteFixture>;

public sealed class ConnectionPieceCheckPostgresTests(PostgresFixture fixture) : ConnectionPieceCheckTests(fixture), IClassFixture<PostgresFixture>;

/// PLUGBOARD_STRICT_PIECES=true: only registered pieces take connections.
public sealed class StrictPiecesTests : IAsyncLifetime
{
    private TestStorage _storage = null!;
    private TestApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        _storage = await TestStorage.CreateAsync(DatabaseEngine.Sqlite);
        _app = new TestApp(_storage, new Dictionary<string, string?> { ["PLUGBOARD_STRICT_PIECES"] = "true" });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _storage.DisposeAsync();
    }

    [Fact]
    public async Task Upsert_StrictAndUnregisteredPiece_IsInvalidNamingPieceName()
    {
        var admin = _app.Client();
        var projectId = await admin.CreateProjectAsync();

        var response = await admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, "slack", "xoxb-1"));

        response.AssertError(HttpStatusCode.BadRequest, "INVALID_APP_CONNECTION");
        Assert.Equal("pieceName", response.Body.GetProperty("params").GetProperty("field").GetString());
    }

    [Fact]
    public async Task Upsert_StrictAndRegisteredPiece_IsAccepted()
    {
        var admin = _app.Client();
        var projectId = await admin.CreateProjectAsync();
        (await admin.ApiPostAsync("/api/v1/pieces", new { name = "@activepieces/piece-slack", version = "0.10.0", displayName = "Slack", auth = new[] { new { type = "SECRET_TEXT" } } }))
            .AssertStatus(HttpStatusCode.Created);

        (await admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, "slack", "xoxb-1"))).AssertStatus(HttpStatusCode.Created);
    }
}
