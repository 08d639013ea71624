using System.Text.RegularExpressions;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Pieces;

/// What a registration must satisfy. Errors are 400 VALIDATION naming the field, e.g. `auth[0].props.api_key.type`.
public static partial class PieceRules
{
    public const int MaxVersionLength = 100;

    /// How long a piece's validation pattern may run on one value before the value counts as not matching.
    public static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);
    private const int MaxItems = 200;
    private const int MaxPatternLength = 500;
    private static readonly string[] TriggerTypes = ["POLLING", "WEBHOOK", "APP_WEBHOOK"];

    public static ApiError? Check(PieceMetadata m)
    {
        var error = Validate.FirstError(
            PieceNames.Check(m.Name, "name"),
            Validate.Text(m.DisplayName, "displayName", max: Lengths.Name),
            SemVer.Parse(m.Version) is null
                ? ApiError.Validation("version must be a semantic version such as 0.1.0 (MAJOR.MINOR.PATCH[-prerelease]).", "version")
                : null);
        if (error is not null)
        {
            return error;
        }
        var auth = m.Auth ?? [];
        if (auth.Count > MaxItems || (m.Actions?.Count ?? 0) > MaxItems || (m.Triggers?.Count ?? 0) > MaxItems)
        {
            return ApiError.Validation($"A piece has at most {MaxItems} auth definitions, actions and triggers each.");
        }
        for (var i = 0; i < auth.Count; i++)
        {
            if (auth[i] is null)
            {
                return ApiError.Validation($"auth[{i}] must be an object.", $"auth[{i}]");
            }
            if (CheckAuth(auth[i], $"auth[{i}]") is { } authError)
            {
                return authError;
            }
        }
        if (auth.Select(a => a.Type).Distinct().Count() != auth.Count)
        {
            return ApiError.Validation("auth lists each type at most once.", "auth");
        }
        return CheckOperations(m.Actions ?? [], "actions", isTrigger: false) ?? CheckOperations(m.Triggers ?? [], "triggers", isTrigger: true);
    }

    private static ApiError? CheckAuth(PieceAuthDefinition a, string field)
    {
        if (a.Type is null || !AuthTypes.All.Contains(a.Type))
        {
            return ApiError.Validation($"{field}.type must be one of {string.Join(", ", AuthTypes.All)}.", $"{field}.type");
        }
        if (a.Props is not null && a.Type != "CUSTOM_AUTH")
        {
            return ApiError.Validation($"{field}.props is for CUSTOM_AUTH only.", $"{field}.props");
        }
        return CheckProxy(a, field) ?? CheckProps(a.Props, $"{field}.props");
    }

    /// What the proxy uses: an absolute http(s) base URL without query or fragment, and header and query templates whose
    /// names are plain tokens (a template's value is filled from the connection at call time, and checked then).
    private static ApiError? CheckProxy(PieceAuthDefinition a, string field)
    {
        if (a.BaseUrl is not null && !ProxyBase.IsValid(a.BaseUrl))
        {
            return ApiError.Validation($"{field}.baseUrl must be an absolute http(s) URL without query or fragment.", $"{field}.baseUrl");
        }
        foreach (var (name, template) in (a.Headers ?? new Dictionary<string, string>()).Concat(a.Query ?? new Dictionary<string, string>()))
        {
            if (!HeaderName().IsMatch(name) || template is null || template.Length > 1000 || template.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                return ApiError.Validation($"{field}: the header or query parameter '{name}' needs a plain name and a one-line template.", $"{field}.headers");
            }
        }
        return null;
    }

    private static ApiError? CheckOperations(IReadOnlyList<PieceOperation> operations, string field, bool isTrigger)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < operations.Count; i++)
        {
            var op = operations[i];
            var at = $"{field}[{i}]";
            if (op is null)
            {
                return ApiError.Validation($"{at} must be an object.", at);
            }
            var error = Validate.Text(op.Name, $"{at}.name", max: Lengths.Name)
                ?? (names.Add(op.Name!) ? null : ApiError.Validation($"{at}.name '{op.Name}' is used twice.", $"{at}.name"))
                ?? (isTrigger && op.Type is not null && !TriggerTypes.Contains(op.Type)
                    ? ApiError.Validation($"{at}.type must be one of {string.Join(", ", TriggerTypes)}.", $"{at}.type")
                    : null)
                ?? CheckProps(op.Props, $"{at}.props");
            if (error is not null)
            {
                return error;
            }
        }
        return null;
    }

    private static ApiError? CheckProps(IReadOnlyDictionary<string, PieceProp>? props, string field)
    {
        if (props is null)
        {
            return null;
        }
        if (props.Count > MaxItems)
        {
            return ApiError.Validation($"{field} has more than {MaxItems} props.", field);
        }
        foreach (var (name, prop) in props)
        {
            var at = $"{field}.{name}";
            if (name.Length is 0 or > Lengths.Name)
            {
                return ApiError.Validation($"{field}: a prop name is 1 to {Lengths.Name} characters.", field);
            }
            if (prop is null)
            {
                return ApiError.Validation($"{at} must be an object.", at);
            }
            if (prop.Type is null || !PropTypes.All.Contains(prop.Type))
            {
                return ApiError.Validation($"{at}.type must be one of {string.Join(", ", PropTypes.All)}.", $"{at}.type");
            }
            if (prop.Type == PropTypes.StaticDropdown && prop.Options is not { Count: > 0 })
            {
                return ApiError.Validation($"{at}.options must list the choices of a STATIC_DROPDOWN.", $"{at}.options");
            }
            if (prop.Pattern is not null && (!PropTypes.IsText(prop.Type) || prop.Pattern.Length > MaxPatternLength || !Compiles(prop.Pattern)))
            {
                return ApiError.Validation($"{at}.pattern must be a valid regular expression (at most {MaxPatternLength} characters) on a text prop.", $"{at}.pattern");
            }
        }
        return null;
    }

    private static bool Compiles(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, PatternTimeout);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$")]
    private static partial Regex HeaderName();
}
