using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Plugboard.Pieces;

/// <summary>
/// A <c>{{connections['key']}}</c> reference in a step's input, as the Activepieces builder writes it: also
/// <c>["key"]</c>, the legacy <c>.key</c> (which cannot hold a dot), and a trailing path such as
/// <c>.access_token</c>, <c>.props.api_key</c> or <c>['props'][0]</c>.
/// </summary>
internal sealed partial record ConnectionReference(string Key, IReadOnlyList<object> Path)
{
    private const string Reference =
        """connections(?:\['(?<key>[^']+)'\]|\["(?<key>[^"]+)"\]|\.(?<key>[^.\[\]\s}]+))""" +
        """(?<path>(?:\.[^.\[\]\s}]+|\[\s*\d+\s*\]|\['[^']*'\]|\["[^"]*"\])*)""";

    /// <summary>The reference in <paramref name="text"/> when the whole string is one (spaces allowed inside the braces).</summary>
    public static ConnectionReference? ParseWhole(string text) =>
        Whole().Match(text) is { Success: true } match ? From(match) : null;

    /// <summary>Every reference inside a larger string, with where it stands.</summary>
    public static IEnumerable<(int Index, int Length, ConnectionReference Reference)> FindAll(string text) =>
        Embedded().Matches(text).Select(m => (m.Index, m.Length, From(m)));

    /// <summary>The node at <see cref="Path"/> inside a connection's value; null when the path leads nowhere.</summary>
    public JsonNode? Select(JsonNode value)
    {
        JsonNode? node = value;
        foreach (var segment in Path)
        {
            node = (segment, node) switch
            {
                (string name, JsonObject obj) => obj[name],
                (int index, JsonArray array) => index < array.Count ? array[index] : null,
                (int index, JsonObject obj) => obj[index.ToString(CultureInfo.InvariantCulture)],
                _ => null,
            };
        }
        return node;
    }

    private static ConnectionReference From(Match match)
    {
        var path = PathSegment().Matches(match.Groups["path"].Value)
            .Select(s => s.Groups["index"].Success
                ? (object)int.Parse(s.Groups["index"].Value, CultureInfo.InvariantCulture)
                : s.Groups["name"].Value)
            .ToList();
        return new ConnectionReference(match.Groups["key"].Value, path);
    }

    [GeneratedRegex(@"^\{\{\s*" + Reference + @"\s*\}\}$")]
    private static partial Regex Whole();

    [GeneratedRegex(@"\{\{\s*" + Reference + @"\s*\}\}")]
    private static partial Regex Embedded();

    [GeneratedRegex("""\.(?<name>[^.\[\]\s}]+)|\[\s*(?<index>\d+)\s*\]|\['(?<name>[^']*)'\]|\["(?<name>[^"]*)"\]""")]
    private static partial Regex PathSegment();
}
