using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Plugboard.Samples.Gelato;

/// <summary>
/// A stand-in for Gelato's API, a real Kestrel server on a loopback port: the README walk-through runs against
/// it (<c>demo-gelato</c>), and so do the end-to-end tests. Each API key sees its own account (one shop and its
/// flavors); every request is recorded with the X-API-KEY it carried, so tests can tell whose key reached Gelato.
/// </summary>
public sealed class DemoGelatoApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (string ShopId, string ShopName, string[] Flavors)> _accounts = new(StringComparer.Ordinal);

    private DemoGelatoApi(WebApplication app) => _app = app;

    /// <summary>Every request served, with the API key it carried.</summary>
    public ConcurrentQueue<(string? ApiKey, string Path)> Requests { get; } = new();

    /// <summary>Where it listens, e.g. http://127.0.0.1:9090.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Serves on 127.0.0.1 at <paramref name="port"/> (0: any free port, see <see cref="BaseUrl"/>).</summary>
    public static async Task<DemoGelatoApi> StartAsync(int port = 0)
    {
        // The empty builder reads no configuration: a host's settings cannot move it off its loopback port.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var api = new DemoGelatoApi(app);
        app.Run(api.HandleAsync);
        await app.StartAsync();
        api.BaseUrl = app.Urls.Single().TrimEnd('/');
        return api;
    }

    /// <summary>The account <paramref name="apiKey"/> opens: one shop and its flavors.</summary>
    public void AddAccount(string apiKey, string shopId, string shopName, params string[] flavors) =>
        _accounts[apiKey] = (shopId, shopName, flavors);

    /// <summary>The keys of the requests recorded after <paramref name="mark"/> requests (see <see cref="Mark"/>).</summary>
    public List<string?> KeysSince(int mark) => Requests.Skip(mark).Select(r => r.ApiKey).ToList();

    /// <summary>How many requests were recorded so far.</summary>
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

    /// <summary>Stops serving.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
