using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Plugboard.Pieces;

/// <summary>Checks a step's input against its operation's props before the piece code runs.</summary>
internal static class PropValidation
{
    /// <summary>Every required prop has a value (not null, not an empty string): checked before any request.</summary>
    public static void RequirePresent(PieceOperation operation, JsonObject input)
    {
        var missing = operation.Props.Where(p => p.Value.Required && IsEmpty(input[p.Key])).Select(p => p.Key).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException(
                $"{operation.Kind} '{operation.Name}' is missing required props: {string.Join(", ", missing)}.", nameof(input));
        }
    }

    /// <summary>Required props are still present once references are resolved, and each value has its prop's type.</summary>
    public static void Check(PieceOperation operation, JsonObject resolved)
    {
        RequirePresent(operation, resolved);
        foreach (var (name, prop) in operation.Props)
        {
            if (resolved[name] is { } value && Problem(prop, value) is { } problem)
            {
                throw new ArgumentException($"{operation.Kind} '{operation.Name}': prop '{name}' {problem}.", "input");
            }
        }
    }

    public static bool TryNumber(JsonValue value, out double number)
    {
        var text = value.GetValueKind() switch
        {
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.String => value.GetValue<string>(),
            _ => null,
        };
        number = 0;
        return text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    private static bool IsEmpty(JsonNode? node) =>
        node is null || (node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0);

    private static string? Problem(PieceProp prop, JsonNode value) => prop.Type switch
    {
        PropType.ShortText or PropType.LongText or PropType.SecretText when !IsString(value) => "must be a string",
        PropType.ShortText or PropType.SecretText when prop.Pattern is { } pattern && !Matches(pattern, Text(value)) =>
            $"does not match the pattern {pattern}",
        PropType.Number when value is not JsonValue number || !TryNumber(number, out _) => "must be a number",
        PropType.Checkbox when value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False) => "must be true or false",
        PropType.StaticDropdown when !IsString(value) || !prop.Options.Contains(Text(value)) =>
            $"must be one of: {string.Join(", ", prop.Options)}",
        _ => null,
    };

    private static bool Matches(string pattern, string text)
    {
        try
        {
            return Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static bool IsString(JsonNode node) => node.GetValueKind() == JsonValueKind.String;

    private static string Text(JsonNode node) => node.GetValue<string>();
}
