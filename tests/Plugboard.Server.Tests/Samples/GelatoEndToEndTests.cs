using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Plugboard.Pieces;
using Plugboard.Samples.Gelato;
using Plugboard.Server.Connections;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Samples;

/// The predefined-connection guide end to end: the sample backend provisions customers through the API, and the
/// sample piece, run by the Pieces SDK with each customer's engine token, reaches Gelato with that customer's key.
public abstract class GelatoEndToEndTests(AppFixture fixture) : IAsyncLifetime
{
    private readonly TestApp _app = fixture.App;
    private DemoGelatoApi _gelato = null!;
    private HttpClient _gelatoHttp = null!;
    private Piece _piece = null!;

    private sealed record Customer(string ExternalId, string ProjectId, string ApiKey, string ShopId, string Token);

    public async ValueTask InitializeAsync()
    {
        _gelato = await DemoGelatoApi.StartAsync();
        _gelatoHttp = new HttpClient();
        _piece = GelatoPiece.Create(_gelatoHttp);
        await Backend().RegisterPieceAsync(_piece);
    }

    public async ValueTask DisposeAsync()
    {
        _gelatoHttp.Dispose();
        await _gelato.DisposeAsync();
    }

    // The SDK and the backend take any HttpClient: here the in-process server's, without a default key.
    private HttpClient Plugboard() => _app.Client(apiKey: null);

    private GelatoBackend Backend() => new(Plugboard(), TestApp.AdminKey);

    private PieceRunner Runner(Customer customer) => new(Plugboard(), customer.Token);

    private async Task<Customer> ProvisionAsync(string name)
    {
        var externalId = Api.Unique("org");
        var apiKey = $"gel_{name}_{Guid.NewGuid():N}";
        var shopId = $"shop_{name}_{Guid.NewGuid():N}"[..20];
        _gelato.AddAccount(apiKey, shopId, $"Shop {name}", $"{name} Pistachio", $"{name} Stracciatella");
        var backend = Backend();
        var projectId = await backend.GetOrCreateProjectAsync(externalId);
        await backend.UpsertGlobalConnectionAsync(projectId, externalId, new JsonObject { ["api_key"] = apiKey, ["base_url"] = _gelato.BaseUrl });
        return new Customer(externalId, projectId, apiKey, shopId, await backend.IssueEngineTokenAsync(projectId));
    }

    private static JsonObject ShopInput(Customer customer) => new() { [GelatoPiece.ShopProp] = customer.ShopId };

    [Fact]
    public async Task EveryHook_ForEachCustomer_ReachesGelatoWithOnlyThatCustomersKey()
    {
        var a = await ProvisionAsync("A");
        var b = await ProvisionAsync("B");

        foreach (var customer in new[] { a, b })
        {
            var mark = _gelato.Mark;
            var runner = Runner(customer);

            var options = await runner.LoadOptionsAsync(_piece, GelatoPiece.NewFlavorCreated, GelatoPiece.ShopProp, []);
            var tested = await runner.RunTriggerAsync(_piece, GelatoPiece.NewFlavorCreated, TriggerHook.Test, ShopInput(customer));
            Assert.Empty(await runner.RunTriggerAsync(_piece, GelatoPiece.NewFlavorCreated, TriggerHook.OnEnable, ShopInput(customer)));
            var items = await runner.RunTriggerAsync(_piece, GelatoPiece.NewFlavorCreated, TriggerHook.Run, ShopInput(customer));
            Assert.Empty(await runner.RunTriggerAsync(_piece, GelatoPiece.NewFlavorCreated, TriggerHook.OnDisable, ShopInput(customer)));

            var option = Assert.Single(options.Options);
            Assert.Equal((customer.ShopId, $"Shop {customer.ApiKey[4]}"), (option.Value!.GetValue<string>(), option.Label));
            var name = customer == a ? "A" : "B";
            Assert.Equal([$"{name} Pistachio", $"{name} Stracciatella"], items.Select(i => i!["name"]!.GetValue<string>()));
            Assert.Equal(items.ToJsonString(), tested.ToJsonString());
            // One Gelato call per hook, each with this customer's key and no one else's.
            Assert.Equal(Enumerable.Repeat<string?>(customer.ApiKey, 5), _gelato.KeysSince(mark));
        }
    }

    [Fact]
    public async Task Connections_OtherCustomersKeyWithOwnToken_ThrowsNotFoundAndNeverSendsTheirKey()
    {
        var a = await ProvisionAsync("A");
        var b = await ProvisionAsync("B");
        var keyOfA = GelatoPiece.ConnectionKey(a.ExternalId);

        var direct = await Assert.ThrowsAsync<ConnectionNotFoundException>(
            () => new ConnectionsManager(Plugboard(), b.Token).GetAsync(keyOfA));
        var referenced = await Assert.ThrowsAsync<ConnectionNotFoundException>(() => Runner(b).RunTriggerAsync(
            _piece, GelatoPiece.NewFlavorCreated, TriggerHook.Run,
            new JsonObject { [GelatoPiece.ShopProp] = $"{{{{connections['{keyOfA}'].props.api_key}}}}" }));
        var bItems = await Runner(b).RunTriggerAsync(_piece, GelatoPiece.NewFlavorCreated, TriggerHook.Run, ShopInput(b));

        Assert.Equal($"connection ({keyOfA}) not found", direct.Message);
        Assert.Equal(keyOfA, referenced.ConnectionKey);
        Assert.Equal(2, bItems.Count);
        Assert.DoesNotContain(_gelato.Requests, r => r.ApiKey == a.ApiKey);
        Assert.All(_gelato.Requests, r => Assert.Equal(b.ApiKey, r.ApiKey));
        // A's own token still reads it: the 404 above was about B, not about the connection.
        Assert.Equal(a.ApiKey, (await new ConnectionsManager(Plugboard(), a.Token).GetAsync(keyOfA)).Prop("api_key"));
    }

    [Fact]
    public async Task Run_ProjectWithoutItsGlobalConnection_ThrowsNotFoundNamingTheKey()
    {
        var externalId = Api.Unique("org");
        var backend = Backend();
        var projectId = await backend.GetOrCreateProjectAsync(externalId);
        var runner = new PieceRunner(Plugboard(), await backend.IssueEngineTokenAsync(projectId));

        var run = await Assert.ThrowsAsync<ConnectionNotFoundException>(() => runner.RunTriggerAsync(
            _piece, GelatoPiece.NewFlavorCreated, TriggerHook.Run, new JsonObject { [GelatoPiece.ShopProp] = "shop_1" }));
        var options = await Assert.ThrowsAsync<ConnectionNotFoundException>(
            () => runner.LoadOptionsAsync(_piece, GelatoPiece.NewFlavorCreated, GelatoPiece.ShopProp, []));

        Assert.Equal($"connection (gelato_{externalId}) not found", run.Message);
        Assert.Equal($"gelato_{externalId}", options.ConnectionKey);
        Assert.Empty(_gelato.Requests);
    }

    [Fact]
    public async Task Run_ConnectionInError_ThrowsExpiredAndNeverCallsGelato()
    {
        var a = await ProvisionAsync("A");
        var key = GelatoPiece.ConnectionKey(a.ExternalId);
        // What a failed OAuth2 refresh does to a connection; a CUSTOM_AUTH one has no refresh to fail, so set it here.
        await _app.WithDbAsync(db => db.AppConnections
            .Where(c => c.ScopeKey == AppConnection.PlatformScopeKey && c.ExternalId == key)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ConnectionStatus.Error).SetProperty(c => c.StatusReason, "revoked")));

        var error = await Assert.ThrowsAsync<ConnectionExpiredException>(
            () => Runner(a).RunTriggerAsync(_piece, GelatoPiece.NewFlavorCreated, TriggerHook.Run, ShopInput(a)));

        Assert.Equal($"connection ({key}) expired, reconnect again", error.Message);
        Assert.DoesNotContain(a.ApiKey, error.ToString(), StringComparison.Ordinal);
        Assert.Empty(_gelato.Requests);
    }

    [Fact]
    public async Task Provision_AgainWithNewKey_SameProjectAndConnectionAndRunsUseTheNewKey()
    {
        var a = await ProvisionAsync("A");
        var backend = Backend();
        var rotated = $"gel_rotated_{Guid.NewGuid():N}";
        _gelato.AddAccount(rotated, a.ShopId, "Shop A", "Rotated Vanilla");

        Assert.Equal(a.ProjectId, await backend.GetOrCreateProjectAsync(a.ExternalId));
        var first = await backend.UpsertGlobalConnectionAsync(a.ProjectId, a.ExternalId, new JsonObject { ["api_key"] = a.ApiKey, ["base_url"] = _gelato.BaseUrl });
        var second = await backend.UpsertGlobalConnectionAsync(a.ProjectId, a.ExternalId, new JsonObject { ["api_key"] = rotated, ["base_url"] = _gelato.BaseUrl });
        var items = await Runner(a).RunTriggerAsync(_piece, GelatoPiece.NewFlavorCreated, TriggerHook.Run, ShopInput(a));

        Assert.Equal(first, second);
        Assert.Equal("Rotated Vanilla", Assert.Single(items)!["name"]!.GetValue<string>());
        Assert.Equal(rotated, Assert.Single(_gelato.Requests).ApiKey);
    }

    [Fact]
    public async Task Provision_KeyNotMatchingThePiecesPattern_IsRejectedByTheRegistry()
    {
        var externalId = Api.Unique("org");
        var backend = Backend();
        var projectId = await backend.GetOrCreateProjectAsync(externalId);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => backend.UpsertGlobalConnectionAsync(
            projectId, externalId, new JsonObject { ["api_key"] = "not-a-gelato-key-canary" }));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("value.props.api_key", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("canary", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterPiece_Again_ReplacesAndServesTheExportedMetadata()
    {
        var stored = await Backend().RegisterPieceAsync(_piece);
        var read = await _app.Client().ApiGetAsync($"/api/v1/pieces/{GelatoPiece.Name}");

        read.AssertStatus(HttpStatusCode.OK);
        var exported = _piece.ToMetadata();
        foreach (var body in new[] { stored, JsonNode.Parse(read.Raw)!.AsObject() })
        {
            Assert.Equal(GelatoPiece.Name, body["name"]!.GetValue<string>());
            Assert.Equal(GelatoPiece.Version, body["version"]!.GetValue<string>());
            // The registry writes absent optional fields as nulls; the export leaves them out.
            Assert.Equal(exported["auth"]!.ToJsonString(), WithoutNulls(body["auth"])!.ToJsonString());
            Assert.Equal(exported["triggers"]![0]!["props"]!.ToJsonString(), WithoutNulls(body["triggers"]![0]!["props"])!.ToJsonString());
            Assert.False(body["triggers"]![0]!["requireAuth"]!.GetValue<bool>());
            Assert.Equal("POLLING", body["triggers"]![0]!["type"]!.GetValue<string>());
        }
    }

    private static JsonNode? WithoutNulls(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Key, WithoutNulls(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(WithoutNulls)]),
        _ => node?.DeepClone(),
    };
}

public sealed class GelatoEndToEndSqliteTests(SqliteFixture fixture) : GelatoEndToEndTests(fixture), IClassFixture<SqliteFixture>;

public sealed class GelatoEndToEndPostgresTests(PostgresFixture fixture) : GelatoEndToEndTests(fixture), IClassFixture<PostgresFixture>;
