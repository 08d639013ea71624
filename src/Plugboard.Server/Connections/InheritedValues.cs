using System.Text.Json.Nodes;
using Plugboard.Server.Crypto;

namespace Plugboard.Server.Connections;

/// A definition's global values and a connection's own part (seed 004). The effective value, the one a claim, a
/// refresh and the engine read use, is the global values with the connection's own part over them; `props` and
/// `data` are inherited member by member, so a customer adds an api_key beside the definition's base_url. What a
/// connection stores is never more than its own part: changing a global value changes every connection at its next use.
public static class InheritedValues
{
    public const string GlobalValuesField = "globalValues";
    public const string TestValueField = "testValue";

    private static readonly string[] MemberwiseFields = ["props", "data"];

    public static SecretContext GlobalValuesContext(string platformId, string definitionId) => new(platformId, definitionId, GlobalValuesField);

    public static SecretContext TestValueContext(string platformId, string definitionId) => new(platformId, definitionId, TestValueField);

    /// The fields a definition fixes: each top-level field of its global values, and each member of props and data.
    public static List<string> FixedPaths(JsonObject globals)
    {
        var paths = new List<string>();
        foreach (var (name, node) in globals)
        {
            if (MemberwiseFields.Contains(name) && node is JsonObject members)
            {
                paths.AddRange(members.Select(m => $"{name}.{m.Key}"));
            }
            else
            {
                paths.Add(name);
            }
        }
        return paths;
    }

    /// The first field of a connection's own part that the definition fixes ("client_secret", "props.base_url"), or null.
    public static string? FirstFixed(JsonObject globals, JsonObject part) =>
        FixedPaths(globals).FirstOrDefault(path => Has(part, path));

    /// The effective value: a copy of the global values with the connection's own part over them.
    public static JsonObject Merge(JsonObject globals, JsonObject part)
    {
        var merged = (JsonObject)globals.DeepClone();
        foreach (var (name, node) in part)
        {
            if (MemberwiseFields.Contains(name) && node is JsonObject members && merged[name] is JsonObject inherited)
            {
                foreach (var (member, value) in members)
                {
                    inherited[member] = value?.DeepClone();
                }
            }
            else
            {
                merged[name] = node?.DeepClone();
            }
        }
        return merged;
    }

    /// What a connection stores of an effective value: a copy without the fields the definition fixes.
    public static JsonObject OwnPart(JsonObject globals, JsonObject effective)
    {
        var part = (JsonObject)effective.DeepClone();
        foreach (var path in FixedPaths(globals))
        {
            var dot = path.IndexOf('.');
            if (dot < 0)
            {
                part.Remove(path);
            }
            else if (part[path[..dot]] is JsonObject members)
            {
                members.Remove(path[(dot + 1)..]);
            }
        }
        return part;
    }

    /// Merges the stored part of a connection with its definition's global values, both as JSON text.
    public static string Effective(string globalsJson, string partJson) =>
        Merge(ParseObject(globalsJson), ParseObject(partJson)).ToJsonString();

    /// Removes the definition's fixed fields from an effective value, both as JSON text.
    public static string Stored(string globalsJson, string effectiveJson) =>
        OwnPart(ParseObject(globalsJson), ParseObject(effectiveJson)).ToJsonString();

    public static JsonObject ParseObject(string json) => JsonNode.Parse(json) as JsonObject ?? [];

    private static bool Has(JsonObject value, string path)
    {
        var dot = path.IndexOf('.');
        return dot < 0 ? value.ContainsKey(path) : value[path[..dot]] is JsonObject members && members.ContainsKey(path[(dot + 1)..]);
    }
}
