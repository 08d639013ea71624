using System.Net;
using System.Text.Json;

namespace Plugboard.Client.Http;

/// Reads the contract's error body, {statusCode, code, params:{message, …}} (also served as problem+json).
internal static class ApiErrors
{
    private const int MaxBody = 64 * 1024;
    private static readonly IReadOnlyDictionary<string, JsonElement> NoParams = new Dictionary<string, JsonElement>();

    public static async Task<PlugboardApiException> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = response.StatusCode;
        var body = await ReadCappedAsync(response, ct);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String)
            {
                var parameters = root.TryGetProperty("params", out var p) && p.ValueKind == JsonValueKind.Object
                    ? p.EnumerateObject().ToDictionary(e => e.Name, e => e.Value.Clone())
                    : new Dictionary<string, JsonElement>();
                return new PlugboardApiException(status, code.GetString()!, parameters, MessageOf(root, parameters, status));
            }
        }
        catch (JsonException)
        {
        }
        // Not the contract's body: say only the status, since an unknown body may echo anything.
        return new PlugboardApiException(status, "HTTP_ERROR", NoParams, $"The server answered {(int)status} {response.ReasonPhrase}.");
    }

    private static string MessageOf(JsonElement root, Dictionary<string, JsonElement> parameters, HttpStatusCode status)
    {
        if (parameters.TryGetValue("message", out var message) && message.ValueKind == JsonValueKind.String)
        {
            return message.GetString()!;
        }
        foreach (var name in (string[])["detail", "title"])
        {
            if (root.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.String)
            {
                return text.GetString()!;
            }
        }
        return $"The server answered {(int)status}.";
    }

    private static async Task<byte[]> ReadCappedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[MaxBody];
        var total = 0;
        int read;
        while (total < MaxBody && (read = await stream.ReadAsync(buffer.AsMemory(total), ct)) > 0)
        {
            total += read;
        }
        return buffer[..total];
    }
}
