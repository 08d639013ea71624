using System.Net;
using Plugboard.Server.Data;
using Plugboard.Server.Tests.Engine;
using Plugboard.Server.Tests.Flows;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Server.Tests.Pieces;
using Plugboard.Server.Tests.Startup;
using static Plugboard.Server.Tests.Definitions.DefinitionCalls;

namespace Plugboard.Server.Tests.Definitions;

/// Two instances (a dev and a prod: two server processes, each with its own database and encryption key), one
/// export, one import: the target ends with the source's set-up by stable key, its flows referencing connections by
/// externalId run, and secrets travel only sealed under a passphrase.
public abstract class SyncTests(SyncPairFixture pair)
{
    private const string Passphrase = "correct horse battery staple";

    [Fact]
    public async Task ExportSealed_ImportedIntoAnotherInstance_DryRunApplyReapplyAndTheTargetRunsFlowsOnIt()
    {
        var (source, target) = (pair.Source, pair.Target);
        var u = Guid.NewGuid().ToString("N")[..10];
        var org = $"acme-{u}";
        var sourceProject = await source.CreateProjectAsync(org);
        var targetProject = await target.CreateProjectAsync(org);
        var piece = $"@acme/piece-sync-{u}";
        (await source.ApiPostAsync("/api/v1/pieces", PiecesApiTests.Metadata(piece, "1.0.0", displayName: "Sync piece"))).AssertStatus(HttpStatusCode.Created);
        (await source.ApiPostAsync("/api/v1/oauth-providers", new
        {
            name = $"idp-{u}", authorizeUrl = "https://idp.example.com/authorize", tokenUrl = "https://idp.example.com/token", scopes = new[] { "read" }, pieces = new[] { piece },
        })).AssertStatus(HttpStatusCode.OK);
        var appSecret = $"app-secret-{u}";
        (await source.ApiPostAsync("/api/v1/oauth-apps", new { pieceName = piece, clientId = $"client-{u}", clientSecret = appSecret })).AssertStatus(HttpStatusCode.OK);
        var (customerKey, orgKey, globalKey) = ($"crm-{u}", $"org-{u}", $"global-{u}");
        var (globalSecret, orgSecret, testSecret, globalConnectionSecret) = ($"gv-{u}", $"ov-{u}", $"tv-{u}", $"gc-{u}");
        var customerId = await source.DefineAsync(CustomAuth(customerKey, new { props = new { base_url = "https://crm.example.com", partner_secret = globalSecret } }, embedded: true));
        (await source.ApiPostAsync($"/api/v1/connection-definitions/{customerId}/test-value", new { value = new { props = new { api_key = testSecret } } }))
            .AssertStatus(HttpStatusCode.OK);
        await source.DefineAsync(CustomAuth(orgKey, new { props = new { base_url = "https://org.example.com" } }, credentials: "ORGANIZATION",
            value: new { type = "CUSTOM_AUTH", props = new { api_key = orgSecret } }));
        (await source.ApiPostAsync("/api/v1/global-connections", Api.Global(globalKey, [sourceProject], globalConnectionSecret))).AssertStatus(HttpStatusCode.Created);
        var canaries = new[] { appSecret, globalSecret, orgSecret, testSecret, globalConnectionSecret };

        var plain = (await source.ApiGetAsync("/api/v1/sync/export")).AssertStatus(HttpStatusCode.OK);
        Assert.All(canaries, c => Assert.DoesNotContain(c, plain.Raw));
        Assert.Equal(Keys(plain), Keys((await source.ApiGetAsync("/api/v1/sync/export")).AssertStatus(HttpStatusCode.OK)));
        Assert.Equal("plugboard.sync/v1", plain.Str("format"));
        var bundle = await ExportSealedAsync(source);
        Assert.All(canaries, c => Assert.DoesNotContain(c, bundle.Raw));
        Assert.Equal(Keys(plain), Keys(bundle));

        var wrong = (await ImportAsync(target, bundle.Raw, "not the passphrase at all", "")).AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        Assert.Equal("X-Plugboard-Sync-Passphrase", wrong.Body.GetProperty("params").GetProperty("field").GetString());
        var dryRun = (await ImportAsync(target, bundle.Raw, Passphrase, "?dryRun=true")).AssertStatus(HttpStatusCode.OK);
        Assert.Contains(Entries(dryRun, "created"), e => e == $"definition {customerKey}");
        (await target.ApiGetAsync($"/api/v1/connection-definitions/{customerKey}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");

        // The pair is shared by the class's tests: this test's items are those carrying its suffix.
        var mine = Keys(bundle).Where(k => k.Contains(u, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(6, mine.Count);
        var applied = (await ImportAsync(target, bundle.Raw, Passphrase, "")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(mine, Entries(applied, "created").Where(k => k.Contains(u, StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Empty(Entries(applied, "needsSecrets"));
        Assert.Empty(Entries(applied, "conflicts"));
        var again = (await ImportAsync(target, bundle.Raw, Passphrase, "")).AssertStatus(HttpStatusCode.OK);
        Assert.Empty(Entries(again, "created"));
        Assert.Empty(Entries(again, "updated"));
        Assert.Equal(Keys(bundle).Order(StringComparer.Ordinal), Entries(again, "unchanged").Order(StringComparer.Ordinal));

        // The target runs on it: a flow naming the connections by externalId, and the engine reads them.
        await target.CreateFlowAsync(targetProject, "ENABLED", globalKey, orgKey);
        (await target.ConnectAsync(targetProject, customerKey, new { api_key = "target-customer" })).AssertStatus(HttpStatusCode.Created);
        var engine = pair.TargetClient(await target.EngineTokenAsync(targetProject));
        Assert.Equal(globalConnectionSecret, (await engine.ReadConnectionAsync(globalKey)).Props()["api_key"]);
        Assert.Equal((orgSecret, "https://org.example.com"), ((await engine.ReadConnectionAsync(orgKey)).Props()["api_key"], (await engine.ReadConnectionAsync(orgKey)).Props()["base_url"]));
        Assert.Equal(globalSecret, (await engine.ReadConnectionAsync(customerKey)).Props()["partner_secret"]);
        var testRun = pair.TargetClient(await target.TestRunTokenAsync(targetProject));
        Assert.Equal(testSecret, (await testRun.ReadConnectionAsync(customerKey)).Props()["api_key"]);
        var piecesOnTarget = (await target.ApiGetAsync($"/api/v1/pieces/{piece}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("1.0.0", piecesOnTarget.Str("version"));
    }

    [Fact]
    public async Task ImportWithoutSecrets_NewItemsAreMissingUntilASealedImportSuppliesThem()
    {
        var (source, target) = (pair.Source, pair.Target);
        var u = Guid.NewGuid().ToString("N")[..10];
        var org = $"late-{u}";
        var sourceProject = await source.CreateProjectAsync(org);
        var targetProject = await target.CreateProjectAsync(org);
        var (globalKey, definitionKey) = ($"late-global-{u}", $"late-def-{u}");
        (await source.ApiPostAsync("/api/v1/global-connections", Api.Global(globalKey, [sourceProject], "late-secret"))).AssertStatus(HttpStatusCode.Created);
        await source.DefineAsync(CustomAuth(definitionKey, new { props = new { base_url = "https://late.example.com" } }));

        var plain = (await source.ApiGetAsync("/api/v1/sync/export")).AssertStatus(HttpStatusCode.OK);
        var imported = (await ImportAsync(target, plain.Raw, null, "")).AssertStatus(HttpStatusCode.OK);

        Assert.Contains($"globalConnection {globalKey}", Entries(imported, "needsSecrets"));
        Assert.Contains($"definition {definitionKey}", Entries(imported, "needsSecrets"));
        var engine = pair.TargetClient(await target.EngineTokenAsync(targetProject));
        (await engine.ReadConnectionAsync(globalKey)).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        Assert.Equal("MISSING", (await target.ApiGetAsync($"/api/v1/connection-definitions/{definitionKey}")).AssertStatus(HttpStatusCode.OK).Str("status"));

        var sealedBundle = await ExportSealedAsync(source);
        var supplied = (await ImportAsync(target, sealedBundle.Raw, Passphrase, "")).AssertStatus(HttpStatusCode.OK);
        Assert.Contains($"globalConnection {globalKey}", Entries(supplied, "updated"));
        Assert.Equal("late-secret", (await engine.ReadConnectionAsync(globalKey)).Props()["api_key"]);
        Assert.Equal("ACTIVE", (await target.ApiGetAsync($"/api/v1/connection-definitions/{definitionKey}")).AssertStatus(HttpStatusCode.OK).Str("status"));
    }

    [Fact]
    public async Task ImportWithPrune_ItemGoneFromTheSourceIsDeletedInTheTargetAndWithoutPruneNothingIs()
    {
        var (source, target) = (pair.Source, pair.Target);
        var u = Guid.NewGuid().ToString("N")[..10];
        var globalKey = $"pruned-{u}";
        var globalId = (await source.ApiPostAsync("/api/v1/global-connections", Api.Global(globalKey, [], "soon-gone"))).AssertStatus(HttpStatusCode.Created).Str("id");
        (await ImportAsync(target, (await ExportSealedAsync(source)).Raw, Passphrase, "")).AssertStatus(HttpStatusCode.OK);
        (await source.ApiDeleteAsync($"/api/v1/global-connections/{globalId}")).AssertStatus(HttpStatusCode.NoContent);
        var bundle = (await ExportSealedAsync(source)).Raw;

        var kept = (await ImportAsync(target, bundle, Passphrase, "")).AssertStatus(HttpStatusCode.OK);
        Assert.Empty(Entries(kept, "deleted"));
        var dryRun = (await ImportAsync(target, bundle, Passphrase, "?prune=true&dryRun=true")).AssertStatus(HttpStatusCode.OK);
        Assert.Contains($"globalConnection {globalKey}", Entries(dryRun, "deleted"));
        Assert.Contains(Globals(await target.ApiGetAsync("/api/v1/global-connections?limit=100")), k => k == globalKey);

        var pruned = (await ImportAsync(target, bundle, Passphrase, "?prune=true")).AssertStatus(HttpStatusCode.OK);
        Assert.Contains($"globalConnection {globalKey}", Entries(pruned, "deleted"));
        Assert.DoesNotContain(Globals(await target.ApiGetAsync("/api/v1/global-connections?limit=100")), k => k == globalKey);
    }

    [Fact]
    public async Task Import_BadBundles_Are400AndChangeNothing()
    {
        var target = pair.Target;
        var before = (await target.ApiGetAsync("/api/v1/sync/export")).AssertStatus(HttpStatusCode.OK);

        (await ImportAsync(target, """{"format":"plugboard.sync/v2","items":[]}""", null, "")).AssertValidation("format");
        (await ImportAsync(target, """{"items":[]}""", null, "")).AssertValidation("format");
        (await ImportAsync(target, """{"format":"plugboard.sync/v1","items":[{"kind":"thing","key":"x","data":{}}]}""", null, "")).AssertValidation("items[0]");
        var dup = """{"kind":"globalConnection","key":"dup","data":{"displayName":"D","pieceName":"@acme/piece-crm","type":"NO_AUTH"}}""";
        (await ImportAsync(target, $$"""{"format":"plugboard.sync/v1","items":[{{dup}},{{dup}}]}""", null, "")).AssertValidation("items[1]");
        // A valid first item and an invalid second one: one transaction, so not even the first is written.
        var good = """{"kind":"globalConnection","key":"first-of-two","data":{"displayName":"D","pieceName":"@acme/piece-crm","type":"NO_AUTH"}}""";
        var bad = """{"kind":"definition","key":"Not A Key","data":{}}""";
        (await ImportAsync(target, $$"""{"format":"plugboard.sync/v1","items":[{{good}},{{bad}}]}""", null, "")).AssertValidation("items");
        // The class's tests share the pair and may run in any order: this one makes sure the source has a secret to seal.
        (await pair.Source.ApiPostAsync("/api/v1/global-connections", Api.Global(Api.Unique("sealed"), [], "sealed-secret"))).AssertStatus(HttpStatusCode.Created);
        var sealedBundle = await ExportSealedAsync(pair.Source);
        Assert.Contains("\"secrets\"", sealedBundle.Raw);
        (await ImportAsync(target, sealedBundle.Raw, null, "")).AssertValidation("X-Plugboard-Sync-Passphrase");
        // An organization definition whose sealed own part sets a field its global values fix: refused as the definitions route refuses it.
        var sealer = Plugboard.Server.Sync.SyncSealer.New(Passphrase);
        var orgKey = Api.Unique("org-fixed").ToLowerInvariant();
        var secrets = sealer.Seal("definition", orgKey, new System.Text.Json.Nodes.JsonObject
        {
            ["globalValues"] = new System.Text.Json.Nodes.JsonObject { ["props"] = new System.Text.Json.Nodes.JsonObject { ["base_url"] = "https://org.example.com" } },
            ["value"] = new System.Text.Json.Nodes.JsonObject
            {
                ["type"] = "CUSTOM_AUTH", ["props"] = new System.Text.Json.Nodes.JsonObject { ["base_url"] = "https://evil.example.com" },
            },
        });
        var fixedBundle = System.Text.Json.JsonSerializer.Serialize(new
        {
            format = "plugboard.sync/v1", exportedAt = DateTime.UtcNow, sealing = sealer.Sealing,
            items = new[]
            {
                new
                {
                    kind = "definition", key = orgKey, secrets,
                    data = new { displayName = "Org", pieceName = "@acme/piece-crm", type = "CUSTOM_AUTH", credentials = "ORGANIZATION" },
                },
            },
        }, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        var refused = (await ImportAsync(target, fixedBundle, Passphrase, "")).AssertValidation("items");
        Assert.Contains("value.props.base_url", refused.Raw, StringComparison.Ordinal);
        (await target.ApiGetAsync("/api/v1/sync/export?secrets=plain")).AssertValidation("secrets");
        (await target.ApiGetAsync("/api/v1/sync/export?secrets=sealed")).AssertValidation("X-Plugboard-Sync-Passphrase");

        var after = (await target.ApiGetAsync("/api/v1/sync/export")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(Keys(before), Keys(after));
    }

    private static async Task<ApiResponse> ExportSealedAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/sync/export?secrets=sealed");
        request.Headers.Add("X-Plugboard-Sync-Passphrase", Passphrase);
        using var response = await client.SendAsync(request);
        return new ApiResponse(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType)
            .AssertStatus(HttpStatusCode.OK);
    }

    private static async Task<ApiResponse> ImportAsync(HttpClient client, string bundle, string? passphrase, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/sync/import" + query) { Content = new StringContent(bundle, System.Text.Encoding.UTF8, "application/json") };
        if (passphrase is not null)
        {
            request.Headers.Add("X-Plugboard-Sync-Passphrase", passphrase);
        }
        using var response = await client.SendAsync(request);
        return new ApiResponse(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    private static List<string> Globals(ApiResponse page) =>
        page.AssertStatus(HttpStatusCode.OK).Body.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("externalId").GetString()!).ToList();

    private static List<string> Keys(ApiResponse bundle) =>
        bundle.Body.GetProperty("items").EnumerateArray().Select(i => $"{i.GetProperty("kind").GetString()} {i.GetProperty("key").GetString()}").ToList();

    private static List<string> Entries(ApiResponse report, string list) =>
        report.Body.GetProperty(list).EnumerateArray().Select(i => $"{i.GetProperty("kind").GetString()} {i.GetProperty("key").GetString()}").ToList();
}

/// A source and a target instance: two server processes, each with its own database (and PostgreSQL database) and
/// its own encryption key, as a dev and a prod deployment are.
public abstract class SyncPairFixture(DatabaseEngine engine) : IAsyncLifetime
{
    private Replicas? _source;
    private Replicas? _target;
    private HttpClient? _sourceAdmin;
    private HttpClient? _targetAdmin;
    private ServerProcess? _targetServer;

    public HttpClient Source => _sourceAdmin ?? throw NotStarted();
    public HttpClient Target => _targetAdmin ?? throw NotStarted();

    public HttpClient TargetClient(string credential) => _target!.Client(_targetServer!, credential);

    public async ValueTask InitializeAsync()
    {
        if (!TestStorage.Available(engine))
        {
            return;
        }
        _source = await Replicas.CreateAsync(engine);
        _target = await Replicas.CreateAsync(engine);
        _sourceAdmin = _source.Client(await _source.StartAsync("source", TestKey.New().Base64));
        _targetServer = await _target.StartAsync("target", TestKey.New().Base64);
        _targetAdmin = _target.Client(_targetServer);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replicas in new[] { _source, _target })
        {
            if (replicas is not null)
            {
                await replicas.DisposeAsync();
            }
        }
        GC.SuppressFinalize(this);
    }

    private Exception NotStarted()
    {
        TestStorage.SkipUnlessAvailable(engine);
        return new InvalidOperationException("The sync pair is not started.");
    }
}

public sealed class SqliteSyncPairFixture() : SyncPairFixture(DatabaseEngine.Sqlite);

public sealed class PostgresSyncPairFixture() : SyncPairFixture(DatabaseEngine.Postgres);

public sealed class SyncSqliteTests(SqliteSyncPairFixture pair) : SyncTests(pair), IClassFixture<SqliteSyncPairFixture>;

public sealed class SyncPostgresTests(PostgresSyncPairFixture pair) : SyncTests(pair), IClassFixture<PostgresSyncPairFixture>;
