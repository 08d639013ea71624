using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Plugboard.Server.Tests.Samples;

/// Gelato's API as a real Kestrel server on a loopback port. Each API key sees its own account (one shop and its
/// flavors); every request is recorded with the X-API-KEY it carried, so tests can tell whose key reached Gelato.
public sealed class FakeGelatoApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (string ShopId, string ShopName, string[] Flavors)> _accounts = new(StringComparer.Ordinal);

    private FakeGelatoApi(WebApplication app) => _app = app;

    public ConcurrentQueue<(string? ApiKey, string Path)> Requests { get; } = new();

    public string BaseUrl { get; private set; } = "";

    public static async Task<FakeGelatoApi> StartAsync()
    {
        // The empty builder reads no configuration: the test host's settings cannot move it off its loopback port.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var api = new FakeGelatoApi(app);
        app.Run(api.HandleAsync);
        await app.StartAsync();
        api.BaseUrl = app.Urls.Single().TrimEnd('/');
        return api;
    }

    public void AddAccount(string apiKey, string shopId, string shopName, params string[] flavors) =>
        _accounts[apiKey] = (shopId, shopName, flavors);

    /// The keys of the requests recorded after <paramref name="mark"/> requests (see <see cref="Mark"/>).
    public List<string?> KeysSince(int mark) => Requests.Skip(mark).Select(r => r.ApiKey).ToList();

    public int Mark => Requests.Count;

    private async Task HandleAsync(HttpContext http)
    {
        var key = http.Request.Headers["X-API-KEY"].FirstOrDefault();
        var path = http.Request.Path.Value ?? "";
        Requests.Enqueue((key, path));
        if (key is null || !_accounts.TryGetValue(key, out var account))
        {
            await ReplyAsync(http, 401, new JsonObject { ["error"] = "invalid api key" });
            return;
        }
        var shop = new JsonObject { ["id"] = account.ShopId, ["name"] = account.ShopName };
        var shopPath = $"/v1/shops/{account.ShopId}";
        JsonNode? reply = path switch
        {
            "/v1/shops" => new JsonArray(shop),
            _ when path == shopPath => shop,
            _ when path == shopPath + "/flavors" =>
                new JsonArray([.. account.Flavors.Select((name, i) => (JsonNode)new JsonObject { ["id"] = $"{account.ShopId}_f{i}", ["name"] = name })]),
            _ => null,
        };
        await ReplyAsync(http, reply is null ? 404 : 200, reply ?? new JsonObject { ["error"] = "not found" });
    }

    private static Task ReplyAsync(HttpContext http, int status, JsonNode body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(body.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
