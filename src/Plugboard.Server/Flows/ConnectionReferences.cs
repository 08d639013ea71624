using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Plugboard.Server.Flows;

/// Connection references in flow step inputs, in every form the engine resolves:
/// `{{connections['x']}}`, `{{connections["x"]}}`, the legacy `{{connections.x}}`, the multi-id
/// `{{connections['a','b']}}`, each with an optional trailing path (`{{connections['x'].access_token}}`).
/// Rewriting goes through the same pattern and splices ids in by position: no pattern is ever built
/// from an id, so an id full of regex metacharacters is just text.
public static partial class ConnectionReferences
{
    // The path is whatever follows the id up to the closing braces; it is kept verbatim on rewrite.
    [GeneratedRegex("""\{\{\s*connections(?:\[\s*(?<quoted>'[^']+'|"[^"]+")(?:\s*,\s*(?<quoted>'[^']+'|"[^"]+"))*\s*\]|\.(?<bare>[^.\[\]{}\s'"]+))(?<path>[^{}]*)\}\}""")]
    private static partial Regex Reference();

    // What the legacy dotted form can carry: no dot, bracket, brace, quote or space.
    [GeneratedRegex("""^[^.\[\]{}\s'"]+$""")]
    private static partial Regex BareId();

    /// The connection externalIds a text references, in order of appearance (repeats included).
    public static IEnumerable<string> InText(string text)
    {
        if (!text.Contains("connections", StringComparison.Ordinal))
        {
            yield break;
        }
        foreach (Match match in Reference().Matches(text))
        {
            var bare = match.Groups["bare"];
            if (bare.Success)
            {
                yield return bare.Value;
                continue;
            }
            foreach (Capture quoted in match.Groups["quoted"].Captures)
            {
                yield return quoted.Value[1..^1];
            }
        }
    }

    /// The externalIds referenced by any string in a JSON value (nested objects and arrays too).
    public static IEnumerable<string> InJson(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                foreach (var id in InText(value.GetString()!))
                {
                    yield return id;
                }
                break;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    foreach (var id in InJson(property.Value))
                    {
                        yield return id;
                    }
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    foreach (var id in InJson(item))
                    {
                        yield return id;
                    }
                }
                break;
        }
    }

    /// Whether a reference to this externalId can be written: a quoted form needs one quote kind it lacks.
    public static bool CanReference(string externalId) => !(externalId.Contains('\'') && externalId.Contains('"'));

    /// The usual reference to a connection, `{{connections['x']}}` (double quotes when the id holds a single one).
    public static string ReferenceTo(string externalId) => $"{{{{connections[{Quote(externalId, '\'')}]}}}}";

    /// The text with every reference to `from` pointing at `to` instead, in the same form where `to` fits it
    /// (quote kind, legacy dots), paths and the other ids of a multi-id reference untouched.
    public static string RewriteText(string text, string from, string to)
    {
        if (!text.Contains(from, StringComparison.Ordinal))
        {
            return text;
        }
        return Reference().Replace(text, match => RewriteMatch(text, match, from, to));
    }

    /// Rewrites every string inside a JSON node, in place; true when anything changed.
    public static bool RewriteJson(JsonNode? node, string from, string to)
    {
        var changed = false;
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (Rewritten(obj[key], from, to) is { } replacement)
                    {
                        obj[key] = replacement;
                        changed = true;
                    }
                    else
                    {
                        changed |= RewriteJson(obj[key], from, to);
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (Rewritten(array[i], from, to) is { } replacement)
                    {
                        array[i] = replacement;
                        changed = true;
                    }
                    else
                    {
                        changed |= RewriteJson(array[i], from, to);
                    }
                }
                break;
        }
        return changed;
    }

    /// A new string node when this node is a string whose references change; null otherwise.
    private static JsonValue? Rewritten(JsonNode? node, string from, string to)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return null;
        }
        var text = value.GetValue<string>();
        var rewritten = RewriteText(text, from, to);
        return rewritten == text ? null : JsonValue.Create(rewritten);
    }

    private static string RewriteMatch(string text, Match match, string from, string to)
    {
        var bare = match.Groups["bare"];
        if (bare.Success)
        {
            if (bare.Value != from)
            {
                return match.Value;
            }
            var replacement = BareId().IsMatch(to) ? "." + to : "[" + Quote(to, '\'') + "]";
            // The dot before the id is part of what is replaced: "connections" + replacement + path.
            var start = bare.Index - 1;
            return string.Concat(text.AsSpan(match.Index, start - match.Index), replacement, text.AsSpan(bare.Index + bare.Length, match.Index + match.Length - bare.Index - bare.Length));
        }
        var result = new StringBuilder(match.Length + to.Length);
        var at = match.Index;
        foreach (Capture quoted in match.Groups["quoted"].Captures)
        {
            if (quoted.Value[1..^1] != from)
            {
                continue;
            }
            result.Append(text, at, quoted.Index - at).Append(Quote(to, quoted.Value[0]));
            at = quoted.Index + quoted.Length;
        }
        return result.Append(text, at, match.Index + match.Length - at).ToString();
    }

    private static string Quote(string id, char preferred)
    {
        var quote = !id.Contains(preferred) ? preferred : preferred == '\'' ? '"' : '\'';
        return id.Contains(quote)
            ? throw new ArgumentException("The id contains both quote kinds; check CanReference first.", nameof(id))
            : $"{quote}{id}{quote}";
    }
}
