using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plugboard.Pieces;

/// <summary>
/// Resolves the connection references of a step's input into a new tree, like the Activepieces engine: a string
/// that is exactly one reference becomes the value (or the node its path selects); references inside a larger
/// string are replaced by their text. Each key is read once per input.
/// </summary>
internal sealed class InputResolver(ConnectionsManager connections, CancellationToken ct)
{
    private readonly Dictionary<string, ConnectionValue> _read = new(StringComparer.Ordinal);

    /// <summary>The connection a key resolved to, when the input referenced it.</summary>
    public ConnectionValue? Resolved(string key) => _read.GetValueOrDefault(key);

    public async Task<JsonObject> ResolveAsync(JsonObject input) => (JsonObject)(await ResolveAsync((JsonNode)input))!;

    private async Task<JsonNode?> ResolveAsync(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var resolvedObject = new JsonObject();
                foreach (var (name, child) in obj)
                {
                    resolvedObject[name] = await ResolveAsync(child);
                }
                return resolvedObject;
            case JsonArray array:
                var resolvedArray = new JsonArray();
                foreach (var item in array)
                {
                    resolvedArray.Add(await ResolveAsync(item));
                }
                return resolvedArray;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return await ResolveStringAsync(value.GetValue<string>());
            default:
                return node?.DeepClone();
        }
    }

    private async Task<JsonNode?> ResolveStringAsync(string text)
    {
        if (!text.Contains("{{", StringComparison.Ordinal))
        {
            return JsonValue.Create(text);
        }
        if (ConnectionReference.ParseWhole(text) is { } whole)
        {
            return await SelectAsync(whole);
        }
        var result = new StringBuilder();
        var at = 0;
        foreach (var (index, length, reference) in ConnectionReference.FindAll(text))
        {
            result.Append(text, at, index - at).Append(AsText(await SelectAsync(reference)));
            at = index + length;
        }
        return JsonValue.Create(result.Append(text, at, text.Length - at).ToString());
    }

    private async Task<JsonNode?> SelectAsync(ConnectionReference reference)
    {
        if (!_read.TryGetValue(reference.Key, out var connection))
        {
            connection = await connections.GetAsync(reference.Key, ct);
            _read[reference.Key] = connection;
        }
        return reference.Select(connection.Json)?.DeepClone();
    }

    private static string AsText(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => node.ToJsonString(),
    };
}
