using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Plugboard.Server.Pieces;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Connections;

/// Checks a connection against its piece's registered auth (the reference checks none of this): the
/// version exists (default: the latest), the type is one the piece takes, CUSTOM_AUTH props are present
/// and well-typed. Errors are 400 INVALID_APP_CONNECTION naming the field; they never echo a value.
public sealed class PieceAuthCheck(PlugboardDb db, PiecesOptions options)
{
    /// The piece version to store: the one picked, or the one asked for (perhaps none) when the piece is not registered.
    public sealed record Fit(string? PieceVersion);

    /// The piece version to store, or the reason the connection does not fit its piece. Without a value (a definition's,
    /// whose props its connections complete) only the version and the type are checked.
    public async Task<Outcome<Fit>> CheckAsync(
        string platformId, string pieceName, string? pieceVersion, ConnectionType type, string? valueJson, CancellationToken ct)
    {
        var versions = await PieceRegistry.VersionsAsync(db, platformId, pieceName, ct);
        if (versions.Count == 0)
        {
            return options.Strict
                ? Invalid($"Piece '{pieceName}' is not registered on this platform (PLUGBOARD_STRICT_PIECES is on): register it with POST /api/v1/pieces first.", "pieceName")
                : new Fit(pieceVersion);
        }
        var chosen = PieceRegistry.Pick(versions, pieceVersion);
        if (chosen is null)
        {
            return Invalid(
                $"Piece '{pieceName}' has no version matching '{pieceVersion}'; registered: {string.Join(", ", versions.Select(v => v.Version))}.", "pieceVersion");
        }
        var metadata = PieceRegistry.Deserialize(chosen.Metadata);
        var error = CheckType(metadata, type, out var definition)
            ?? (definition?.Type == "CUSTOM_AUTH" && valueJson is not null ? CheckProps(definition.Props, JsonNode.Parse(valueJson)?["props"] as JsonObject) : null);
        return error is null ? new Fit(chosen.Version) : error;
    }

    private static ApiError? CheckType(PieceMetadata metadata, ConnectionType type, out PieceAuthDefinition? definition)
    {
        var wire = WireEnum<ConnectionType>.Name(type);
        var accepted = metadata.Auth ?? [];
        definition = accepted.FirstOrDefault(a => a.Type == wire || (a.Type == "OAUTH2" && IsOAuth(type)));
        if (definition is not null || (accepted.Count == 0 && type == ConnectionType.NoAuth))
        {
            return null;
        }
        var takes = accepted.Count == 0 ? "takes no authentication" : $"takes {string.Join(" or ", accepted.Select(a => a.Type))} connections";
        return Invalid($"Piece '{metadata.Name}' {metadata.Version} {takes}, not {wire}.", "type");
    }

    private static ApiError? CheckProps(IReadOnlyDictionary<string, PieceProp>? definitions, JsonObject? props)
    {
        foreach (var (name, prop) in definitions ?? new Dictionary<string, PieceProp>())
        {
            var field = $"value.props.{name}";
            var value = props?[name];
            if (IsEmpty(value))
            {
                if (prop.Required == true)
                {
                    return Invalid($"{field} is required by the piece.", field);
                }
                continue;
            }
            if (CheckValue(prop, value!) is { } problem)
            {
                return Invalid($"{field} {problem}.", field);
            }
        }
        return null;
    }

    private static string? CheckValue(PieceProp prop, JsonNode value)
    {
        var kind = value.GetValueKind();
        switch (prop.Type)
        {
            case var text when PropTypes.IsText(text):
                if (kind != JsonValueKind.String)
                {
                    return "must be a string";
                }
                return prop.Pattern is null || Matches(prop.Pattern, value.GetValue<string>()) ? null : "does not match the pattern the piece requires";
            case PropTypes.Number:
                return kind == JsonValueKind.Number ||
                    (kind == JsonValueKind.String && double.TryParse(value.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    ? null : "must be a number";
            case PropTypes.Checkbox:
                return kind is JsonValueKind.True or JsonValueKind.False ? null : "must be true or false";
            case PropTypes.StaticDropdown:
                return kind == JsonValueKind.String && (prop.Options ?? []).Contains(value.GetValue<string>())
                    ? null : $"must be one of {string.Join(", ", prop.Options ?? [])}";
            default:
                return null;
        }
    }

    private static bool Matches(string pattern, string text)
    {
        try
        {
            return Regex.IsMatch(text, pattern, RegexOptions.None, PieceRules.PatternTimeout);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static bool IsEmpty(JsonNode? value) =>
        value is null || (value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length == 0);

    private static bool IsOAuth(ConnectionType type) =>
        type is ConnectionType.OAuth2 or ConnectionType.CloudOAuth2 or ConnectionType.PlatformOAuth2;

    private static ApiError Invalid(string message, string field) =>
        ApiError.BadRequest(ErrorCodes.InvalidAppConnection, message, ("field", field));
}
