using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plugboard.Pieces;

/// <summary>
/// The step's input after connection references were resolved, with typed accessors. A reference such as
/// <c>{{connections['x'].props.api_key}}</c> already holds the resolved value here.
/// </summary>
public sealed class PropValues
{
    internal PropValues(JsonObject values) => Json = values;

    /// <summary>The resolved input.</summary>
    public JsonObject Json { get; }

    /// <summary>The value of a prop, or null when absent.</summary>
    public JsonNode? this[string name] => Json[name];

    /// <summary>Whether the prop has a non-null value.</summary>
    public bool Contains(string name) => Json[name] is not null;

    /// <summary>A prop as text: a string as is, another value as its JSON, null when absent.</summary>
    public string? GetString(string name) => Json[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        var other => other.ToJsonString(),
    };

    /// <summary>A prop as a number (a JSON number or a numeric string), null when absent.</summary>
    /// <exception cref="InvalidOperationException">The value is not a number.</exception>
    public double? GetNumber(string name) => Json[name] switch
    {
        null => null,
        JsonValue v when PropValidation.TryNumber(v, out var number) => number,
        _ => throw new InvalidOperationException($"Prop '{name}' is not a number."),
    };

    /// <summary>A prop as a boolean, false when absent.</summary>
    /// <exception cref="InvalidOperationException">The value is not a boolean.</exception>
    public bool GetBoolean(string name) => Json[name] switch
    {
        null => false,
        JsonValue v when v.TryGetValue(out bool flag) => flag,
        JsonValue v when v.TryGetValue(out string? text) && bool.TryParse(text, out var parsed) => parsed,
        _ => throw new InvalidOperationException($"Prop '{name}' is not a boolean."),
    };

    /// <summary>A prop deserialized as <typeparamref name="T"/> (web defaults: camelCase, case-insensitive), default when absent.</summary>
    public T? Get<T>(string name) => Json[name] is { } node ? node.Deserialize<T>(JsonSerializerOptions.Web) : default;

    /// <summary>The input's JSON.</summary>
    public override string ToString() => Json.ToJsonString();
}
