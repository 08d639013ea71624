using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Plugboard.Pieces;

namespace Plugboard.Samples.Gelato;

/// The customer's Gelato account, called with the API key of their connection.
internal sealed class GelatoApi(HttpClient http, ConnectionValue connection)
{
    public const string DefaultBaseUrl = "https://api.gelato.example";

    public async Task<JsonArray> ListShopsAsync(CancellationToken ct) =>
        (await GetAsync("v1/shops", ct)).AsArray();

    public async Task<JsonObject> GetShopAsync(string shopId, CancellationToken ct) =>
        (await GetAsync($"v1/shops/{Uri.EscapeDataString(shopId)}", ct)).AsObject();

    public async Task<JsonArray> ListFlavorsAsync(string shopId, CancellationToken ct) =>
        (await GetAsync($"v1/shops/{Uri.EscapeDataString(shopId)}/flavors", ct)).AsArray();

    private async Task<JsonNode> GetAsync(string path, CancellationToken ct)
    {
        var baseUrl = (connection.Prop("base_url") is { Length: > 0 } configured ? configured : DefaultBaseUrl).TrimEnd('/') + "/";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(baseUrl), path));
        request.Headers.Add("X-API-KEY", connection.Prop("api_key"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            // The status and the path only: the request's key must not end up in a log.
            throw new HttpRequestException($"Gelato answered HTTP {(int)response.StatusCode} to GET /{path}.", null, response.StatusCode);
        }
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))
            ?? throw new HttpRequestException($"Gelato answered GET /{path} with an empty body.");
    }
}
