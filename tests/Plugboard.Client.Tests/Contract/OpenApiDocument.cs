using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plugboard.Client.Tests.Contract;

/// The server's own OpenAPI document, fetched from a running server: its operations and schemas.
public sealed class OpenApiDocument(JsonObject root)
{
    public static async Task<OpenApiDocument> FetchAsync(Uri server)
    {
        using var http = new HttpClient { BaseAddress = server };
        var text = await http.GetStringAsync("openapi/v1.json");
        return new OpenApiDocument(JsonNode.Parse(text)!.AsObject());
    }

    public IEnumerable<(string Id, string Method, string Path, JsonObject Operation)> Operations() =>
        root["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(op => op.Value is JsonObject o && o["operationId"] is not null)
            .Select(op => (op.Value!["operationId"]!.GetValue<string>(), op.Key.ToUpperInvariant(), path.Key, op.Value!.AsObject())));

    /// The schema a $ref names, or the node itself.
    public JsonObject Resolve(JsonObject schema)
    {
        while (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            schema = root["components"]!["schemas"]![reference.Split('/')[^1]]!.AsObject();
        }
        return schema;
    }

    public static string? RefName(JsonObject schema) => schema["$ref"]?.GetValue<string>().Split('/')[^1];

    /// The JSON body schema of the operation's request, if any.
    public static JsonObject? RequestSchema(JsonObject operation) =>
        operation["requestBody"]?["content"]?["application/json"]?["schema"]?.AsObject();

    /// The JSON body schema of the operation's success answers (all 2xx answers share one), or null when none has a body.
    public static JsonObject? ResponseSchema(JsonObject operation) =>
        operation["responses"]!.AsObject()
            .Where(r => r.Key.StartsWith('2'))
            .Select(r => r.Value?["content"]?["application/json"]?["schema"]?.AsObject())
            .FirstOrDefault(s => s is not null);

    public static IEnumerable<string> Strings(JsonNode? array) =>
        array is JsonArray a ? a.Select(n => n?.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : null).OfType<string>() : [];
}
