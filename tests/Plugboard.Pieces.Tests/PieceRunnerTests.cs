using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Plugboard.Pieces.Tests;

public sealed class PieceRunnerTests : IAsyncLifetime
{
    private const string Secret = "tok_canary_9b2";

    private readonly ConcurrentQueue<string> _calls = new();
    private FakeWorker _worker = null!;
    private Piece _piece = null!;

    public async ValueTask InitializeAsync()
    {
        _worker = await FakeWorker.StartAsync();
        _worker.Connection("acme", new JsonObject { ["type"] = "SECRET_TEXT", ["secret_text"] = Secret });
        _worker.Connection("acme_org_1", new JsonObject { ["type"] = "CUSTOM_AUTH", ["props"] = new JsonObject { ["api_key"] = Secret } });
        _piece = TestPiece.Create(_calls);
    }

    public async ValueTask DisposeAsync() => await _worker.DisposeAsync();

    private PieceRunner Runner(string token = FakeWorker.Token) => new(_worker.Client(), token);

    private static JsonObject Input(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public async Task RunActionAsync_UnknownAction_ThrowsListingActionsBeforeAnyRequest()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Runner().RunActionAsync(_piece, "nope", []));

        Assert.Equal("actionName", error.ParamName);
        Assert.Contains("no action 'nope' (it has: echo, whoami, touchAuth)", error.Message, StringComparison.Ordinal);
        Assert.Empty(_worker.Requests);
    }

    [Fact]
    public async Task RunTriggerAsync_UnknownTriggerOrHook_ThrowsBeforeAnyRequest()
    {
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => Runner().RunTriggerAsync(_piece, "echo", TriggerHook.Run, []));
        var badHook = await Assert.ThrowsAsync<ArgumentException>(() => Runner().RunTriggerAsync(_piece, "poll", (TriggerHook)42, Input("""{"list":"l1"}""")));

        Assert.Equal("triggerName", unknown.ParamName);
        Assert.Contains("no trigger 'echo'", unknown.Message, StringComparison.Ordinal);
        Assert.Equal("hook", badHook.ParamName);
        Assert.Empty(_worker.Requests);
    }

    [Theory]
    [InlineData("nope", "list", "operationName", "no action or trigger 'nope'")]
    [InlineData("poll", "nope", "propName", "has no prop 'nope' (it has: list, limit)")]
    [InlineData("poll", "limit", "propName", "is NUMBER, not a DROPDOWN")]
    public async Task LoadOptionsAsync_NotADropdown_ThrowsBeforeAnyRequest(string operation, string prop, string param, string message)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Runner().LoadOptionsAsync(_piece, operation, prop, []));

        Assert.Equal(param, error.ParamName);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Empty(_worker.Requests);
    }

    [Theory]
    [InlineData("""{"auth":"{{connections['acme']}}"}""")]
    [InlineData("""{"auth":"{{connections['acme']}}","name":""}""")]
    [InlineData("""{"auth":"{{connections['acme']}}","name":null}""")]
    public async Task RunActionAsync_RequiredPropMissing_ThrowsNamingItBeforeAnyRequest(string input)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Runner().RunActionAsync(_piece, "echo", Input(input)));

        Assert.Contains("Action 'echo' is missing required props: name.", error.Message, StringComparison.Ordinal);
        Assert.Empty(_worker.Requests);
    }

    [Theory]
    [InlineData("""{"name":"n"}""")]
    [InlineData("""{"name":"n","auth":"acme"}""")]
    [InlineData("""{"name":"n","auth":"{{connections['acme'].secret_text}}"}""")]
    [InlineData("""{"name":"n","auth":{"type":"SECRET_TEXT","secret_text":"inline"}}""")]
    public async Task RunActionAsync_RequireAuthWithoutConnectionReference_ThrowsBeforeAnyRequest(string input)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Runner().RunActionAsync(_piece, "echo", Input(input)));

        Assert.Contains("requires auth", error.Message, StringComparison.Ordinal);
        Assert.Empty(_worker.Requests);
    }

    [Theory]
    [InlineData("""{"limit":"ten"}""", "prop 'limit' must be a number")]
    [InlineData("""{"limit":true}""", "prop 'limit' must be a number")]
    [InlineData("""{"region":"asia"}""", "prop 'region' must be one of: eu, us")]
    [InlineData("""{"sandbox":"yes"}""", "prop 'sandbox' must be true or false")]
    [InlineData("""{"code":"abcd"}""", "prop 'code' does not match the pattern ^[A-Z]{3}$")]
    [InlineData("""{"name":"{{connections['acme'].props.missing}}"}""", "missing required props: name")]
    public async Task RunActionAsync_PropOfWrongType_Throws(string extra, string message)
    {
        var input = Input("""{"auth":"{{connections['acme']}}","name":"n"}""");
        foreach (var (name, value) in Input(extra))
        {
            input[name] = value?.DeepClone();
        }

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Runner().RunActionAsync(_piece, "echo", input));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunActionAsync_ConnectionReferences_ResolvedLikeTheEngine()
    {
        var input = Input("""
            {"auth":"{{connections['acme']}}",
             "name":"{{connections['acme'].secret_text}}",
             "limit":"7",
             "header":"Bearer {{ connections[\"acme\"].secret_text }}!",
             "nested":[{"legacy":"{{connections.acme.type}}","other":"{{trigger.items}}"},3,null],
             "custom":"{{connections['acme_org_1'].props}}"}
            """);
        var before = input.ToJsonString();

        var output = (await Runner().RunActionAsync(_piece, "echo", input))!.AsObject();

        Assert.Equal("connection (acme, SECRET_TEXT)", output["auth"]!.GetValue<string>());
        Assert.Equal(7d, output["limit"]!.GetValue<double>());
        var expected = $$$"""
            {"auth":{"type":"SECRET_TEXT","secret_text":"{{{Secret}}}"},"name":"{{{Secret}}}","limit":"7","header":"Bearer {{{Secret}}}!",
             "nested":[{"legacy":"SECRET_TEXT","other":"{{trigger.items}}"},3,null],"custom":{"api_key":"{{{Secret}}}"}}
            """;
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), output["props"]!.ToJsonString());
        Assert.Equal(before, input.ToJsonString());
        // One read per key per input, plus the project.
        Assert.Equal(1, _worker.CountRequests("/api/v1/worker/app-connections/acme_org_1"));
        Assert.Equal(2, _worker.CountRequests("/api/v1/worker/app-connections/"));
        Assert.Equal(1, _worker.CountRequests("/api/v1/worker/project"));
    }

    [Fact]
    public async Task RunActionAsync_ReferenceToMissingConnection_ThrowsNotFound()
    {
        var input = Input("""{"auth":"{{connections['acme']}}","name":"{{connections['gone'].props.x}}"}""");

        var error = await Assert.ThrowsAsync<ConnectionNotFoundException>(() => Runner().RunActionAsync(_piece, "echo", input));

        Assert.Equal("gone", error.ConnectionKey);
    }

    [Fact]
    public async Task RunActionAsync_ReferenceToErroredConnection_ThrowsExpired()
    {
        _worker.Connection("acme", new JsonObject { ["type"] = "SECRET_TEXT", ["secret_text"] = Secret }, status: "ERROR");

        var error = await Assert.ThrowsAsync<ConnectionExpiredException>(
            () => Runner().RunActionAsync(_piece, "echo", Input("""{"auth":"{{connections['acme']}}","name":"n"}""")));

        Assert.Equal("connection (acme) expired, reconnect again", error.Message);
    }

    [Fact]
    public async Task RunActionAsync_ProjectReadTwice_FetchedOncePerRun()
    {
        var first = (await Runner().RunActionAsync(_piece, "whoami", []))!;
        _worker.Project = new JsonObject { ["id"] = "proj_2", ["externalId"] = null };
        var second = (await Runner().RunActionAsync(_piece, "whoami", []))!;

        Assert.Equal("""{"projectId":"proj_1","externalId":"org_1","again":"org_1","hasAuth":false}""", first.ToJsonString());
        Assert.Equal("""{"projectId":"proj_2","externalId":null,"again":null,"hasAuth":false}""", second.ToJsonString());
        Assert.Equal(2, _worker.CountRequests("/api/v1/worker/project"));
    }

    [Fact]
    public async Task RunActionAsync_AuthReadWithoutAuthInput_ThrowsInvalidOperation()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Runner().RunActionAsync(_piece, "touchAuth", []));

        Assert.Contains("without auth", error.Message, StringComparison.Ordinal);
        Assert.Equal("SECRET_TEXT", (await Runner().RunActionAsync(_piece, "touchAuth", Input("""{"auth":"{{connections['acme']}}"}""")))!.GetValue<string>());
    }

    [Fact]
    public async Task RunActionAsync_TokenRejected_ThrowsHttpRequestExceptionWithStatus()
    {
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => Runner("eyJ-revoked").RunActionAsync(_piece, "whoami", []));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task RunTriggerAsync_EachHook_CallsItsDelegateWithContext()
    {
        var input = Input("""{"list":"l1"}""");

        Assert.Empty(await Runner().RunTriggerAsync(_piece, "poll", TriggerHook.OnEnable, input));
        var items = await Runner().RunTriggerAsync(_piece, "poll", TriggerHook.Run, input);
        var tested = await Runner().RunTriggerAsync(_piece, "poll", TriggerHook.Test, input);
        Assert.Empty(await Runner().RunTriggerAsync(_piece, "poll", TriggerHook.OnDisable, input));

        Assert.Equal(["OnEnable:l1", "Run:l1", "Test:l1", "OnDisable:l1"], _calls);
        Assert.Equal("""[{"list":"l1","via":"connection (acme_org_1, CUSTOM_AUTH)"}]""", items.ToJsonString());
        Assert.Equal(items.ToJsonString(), tested.ToJsonString());
    }

    [Fact]
    public async Task RunTriggerAsync_RequiredDropdownMissing_Throws()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Runner().RunTriggerAsync(_piece, "poll", TriggerHook.OnEnable, []));

        Assert.Contains("Trigger 'poll' is missing required props: list.", error.Message, StringComparison.Ordinal);
        Assert.Empty(_calls);
    }

    [Fact]
    public async Task LoadOptionsAsync_Loader_GetsConnectionsProjectAndOtherProps()
    {
        var options = await Runner().LoadOptionsAsync(_piece, "poll", "list", Input("""{"limit":3}"""));

        Assert.Equal(["list of acme_org_1", "limit 3"], options.Options.Select(o => o.Label));
        Assert.Equal(["l1", "l2"], options.Options.Select(o => o.Value!.GetValue<string>()));
        Assert.Equal("Pick a list", options.Placeholder);
        Assert.False(options.Disabled);
    }

    [Fact]
    public async Task LoadOptionsAsync_ProjectWithoutItsConnection_ThrowsNotFoundNamingKey()
    {
        _worker.Project = new JsonObject { ["id"] = "proj_3", ["externalId"] = "org_3" };

        var error = await Assert.ThrowsAsync<ConnectionNotFoundException>(() => Runner().LoadOptionsAsync(_piece, "poll", "list", []));

        Assert.Equal("connection (acme_org_3) not found", error.Message);
    }
}
