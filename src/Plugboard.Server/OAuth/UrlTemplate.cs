using System.Text.RegularExpressions;

namespace Plugboard.Server.OAuth;

/// Fills `{prop}` placeholders in provider URLs and scopes. A value may only be a plain name
/// (letters, digits, dot, dash, underscore): `evil.com#` or `a/b` cannot reshape the URL around it.
public static partial class UrlTemplate
{
    public static (string? Result, string? Error) Fill(string template, IReadOnlyDictionary<string, string> props, IReadOnlyDictionary<string, string> defaults)
    {
        string? error = null;
        var result = Placeholder().Replace(template, m =>
        {
            var name = m.Groups[1].Value;
            if (!props.TryGetValue(name, out var value) && !defaults.TryGetValue(name, out value))
            {
                error ??= $"props.{name} is required to build the provider URL.";
                return m.Value;
            }
            if (!SafeValue().IsMatch(value))
            {
                error ??= $"props.{name} may only hold letters, digits, '.', '-' and '_'.";
                return m.Value;
            }
            return value;
        });
        return error is null ? (result, null) : (null, error);
    }

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex SafeValue();
}
