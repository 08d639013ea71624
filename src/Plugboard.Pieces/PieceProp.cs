using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Plugboard.Pieces;

/// <summary>The kinds of input a prop takes.</summary>
public enum PropType
{
    /// <summary>A one-line string.</summary>
    [JsonStringEnumMemberName("SHORT_TEXT")] ShortText,

    /// <summary>A multi-line string.</summary>
    [JsonStringEnumMemberName("LONG_TEXT")] LongText,

    /// <summary>A string that is a secret (hidden in the builder).</summary>
    [JsonStringEnumMemberName("SECRET_TEXT")] SecretText,

    /// <summary>A number (a JSON number or a numeric string).</summary>
    [JsonStringEnumMemberName("NUMBER")] Number,

    /// <summary>A boolean.</summary>
    [JsonStringEnumMemberName("CHECKBOX")] Checkbox,

    /// <summary>One of a fixed list of strings.</summary>
    [JsonStringEnumMemberName("STATIC_DROPDOWN")] StaticDropdown,

    /// <summary>One of a list of options loaded at run time.</summary>
    [JsonStringEnumMemberName("DROPDOWN")] Dropdown,

    /// <summary>Any JSON value.</summary>
    [JsonStringEnumMemberName("JSON")] Json,
}

/// <summary>Loads the options of a <see cref="PropType.Dropdown"/> prop.</summary>
public delegate Task<DropdownOptions> DropdownOptionsLoader(OptionsContext context);

/// <summary>One input of an action, a trigger or a custom auth. Create it with the static factory of its type.</summary>
public sealed class PieceProp
{
    private PieceProp(PropType type, string displayName, bool required, string? description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        Type = type;
        DisplayName = displayName;
        Required = required;
        Description = description;
    }

    /// <summary>The kind of input.</summary>
    public PropType Type { get; }

    /// <summary>The name shown to users.</summary>
    public string DisplayName { get; }

    /// <summary>Whether a value is required: a run without one fails before the code is called.</summary>
    public bool Required { get; }

    /// <summary>Help text shown to users.</summary>
    public string? Description { get; }

    /// <summary>A regular expression a text value must match, if any.</summary>
    public string? Pattern { get; private init; }

    /// <summary>The allowed values of a <see cref="PropType.StaticDropdown"/>; empty for other kinds.</summary>
    public IReadOnlyList<string> Options { get; private init; } = [];

    /// <summary>The options loader of a <see cref="PropType.Dropdown"/>; null for other kinds.</summary>
    public DropdownOptionsLoader? LoadOptions { get; private init; }

    /// <summary>A one-line string, optionally matching <paramref name="pattern"/>.</summary>
    /// <exception cref="ArgumentException">The pattern is not a valid regular expression.</exception>
    public static PieceProp ShortText(string displayName, bool required = false, string? description = null, string? pattern = null) =>
        new(PropType.ShortText, displayName, required, description) { Pattern = ValidPattern(pattern) };

    /// <summary>A multi-line string.</summary>
    public static PieceProp LongText(string displayName, bool required = false, string? description = null) =>
        new(PropType.LongText, displayName, required, description);

    /// <summary>A secret string, optionally matching <paramref name="pattern"/>.</summary>
    /// <exception cref="ArgumentException">The pattern is not a valid regular expression.</exception>
    public static PieceProp SecretText(string displayName, bool required = false, string? description = null, string? pattern = null) =>
        new(PropType.SecretText, displayName, required, description) { Pattern = ValidPattern(pattern) };

    /// <summary>A number.</summary>
    public static PieceProp Number(string displayName, bool required = false, string? description = null) =>
        new(PropType.Number, displayName, required, description);

    /// <summary>A boolean.</summary>
    public static PieceProp Checkbox(string displayName, bool required = false, string? description = null) =>
        new(PropType.Checkbox, displayName, required, description);

    /// <summary>One of <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">There are no options.</exception>
    public static PieceProp StaticDropdown(string displayName, IReadOnlyList<string> options, bool required = false, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Count == 0)
        {
            throw new ArgumentException("A static dropdown lists at least one option.", nameof(options));
        }
        return new(PropType.StaticDropdown, displayName, required, description) { Options = options };
    }

    /// <summary>
    /// One of the options <paramref name="loadOptions"/> returns. The loader gets the connections, the project and
    /// the other props' values, so it can list what the customer's account holds.
    /// </summary>
    public static PieceProp Dropdown(string displayName, DropdownOptionsLoader loadOptions, bool required = false, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(loadOptions);
        return new(PropType.Dropdown, displayName, required, description) { LoadOptions = loadOptions };
    }

    /// <summary>Any JSON value.</summary>
    public static PieceProp Json(string displayName, bool required = false, string? description = null) =>
        new(PropType.Json, displayName, required, description);

    private static string? ValidPattern(string? pattern)
    {
        try
        {
            // Checked when the piece is defined, not at its first run.
            _ = pattern is null ? null : new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
            return pattern;
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"'{pattern}' is not a valid regular expression: {e.Message}", nameof(pattern), e);
        }
    }
}
