using System.Net;
using System.Text.Json;

namespace Plugboard.Bench.Engine;

/// Before any load: the read answers the connection with its decrypted value (the seeded props), the
/// floor answers the same row without one, the bare route a constant connection of the same shape. Otherwise
/// they would not be comparable.
internal static class ReadCheck
{
    public static async Task VerifyAsync(LoadClient client, EngineTarget target, CancellationToken ct)
    {
        var read = await GetAsync(client, Endpoint.Read, ct);
        if (!read.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object ||
            value.GetProperty("type").GetString() != "CUSTOM_AUTH" || !value.TryGetProperty("props", out var props) ||
            target.Props.Any(p => !props.TryGetProperty(p.Key, out var prop) || prop.GetString() != p.Value))
        {
            throw new InvalidOperationException($"the engine read did not answer the seeded CUSTOM_AUTH props: {read}");
        }
        if (read.GetProperty("externalId").GetString() != target.ExternalId || read.GetProperty("id").GetString() != target.ConnectionId)
        {
            throw new InvalidOperationException($"the engine read answered another connection: {read}");
        }

        var inherited = await GetAsync(client, Endpoint.ReadInherited, ct);
        if (!inherited.TryGetProperty("value", out var merged) || !merged.TryGetProperty("props", out var mergedProps) ||
            !mergedProps.TryGetProperty("base_url", out _) || !mergedProps.TryGetProperty("api_key", out _))
        {
            throw new InvalidOperationException($"the inherited read should answer its own api_key with the definition's base_url: {inherited}");
        }

        var floor = await GetAsync(client, Endpoint.Floor, ct);
        if (floor.TryGetProperty("value", out _) || floor.GetProperty("id").GetString() != target.ConnectionId ||
            floor.GetProperty("externalId").GetString() != target.ExternalId || !floor.TryGetProperty("status", out _))
        {
            throw new InvalidOperationException($"the floor should answer the same connection without its value: {floor}");
        }

        var direct = await GetAsync(client, Endpoint.Direct, ct);
        var proxied = await GetAsync(client, Endpoint.Proxy, ct);
        if (direct.GetRawText() != proxied.GetRawText() || !direct.TryGetProperty("data", out _))
        {
            throw new InvalidOperationException($"the proxy should answer what the stand-in API answers directly: {proxied} vs {direct}");
        }

        var bare = await GetAsync(client, Endpoint.Bare, ct);
        if (!bare.TryGetProperty("value", out var constant) || constant.ValueKind != JsonValueKind.Object || !bare.TryGetProperty("status", out _))
        {
            throw new InvalidOperationException($"the bare route should answer a connection with a value: {bare}");
        }
    }

    internal static async Task<JsonElement> GetAsync(LoadClient client, Endpoint endpoint, CancellationToken ct)
    {
        using var response = await client.GetAsync(endpoint, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {client.UriOf(endpoint).AbsolutePath} answered {(int)response.StatusCode}: {text}");
        }
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
