using System.Text.Json.Serialization;

namespace Plugboard.Server.Pieces;

/// A piece version's metadata, as a piece exports it (Pieces SDK `ToMetadata()`) and the registry returns it.
public sealed record PieceMetadata(
    string? Name,
    string? Version,
    string? DisplayName,
    string? Description = null,
    string? LogoUrl = null,
    IReadOnlyList<PieceAuthDefinition>? Auth = null,
    IReadOnlyList<PieceOperation>? Actions = null,
    IReadOnlyList<PieceOperation>? Triggers = null);

/// One way to authenticate to the piece's service: the connection type it takes and, for CUSTOM_AUTH,
/// the props it needs; for OAUTH2 the provider (catalogue name) or URLs, scopes and PKCE.
public sealed record PieceAuthDefinition(
    string? Type,
    string? DisplayName = null,
    string? Description = null,
    bool? Required = null,
    IReadOnlyDictionary<string, PieceProp>? Props = null,
    string? Provider = null,
    string? AuthUrl = null,
    string? TokenUrl = null,
    IReadOnlyList<string>? Scope = null,
    bool? Pkce = null,
    string? BaseUrl = null,
    IReadOnlyDictionary<string, string>? Headers = null,
    IReadOnlyDictionary<string, string>? Query = null);

public sealed record PieceProp(
    string? DisplayName = null,
    string? Type = null,
    bool? Required = null,
    string? Description = null,
    string? Pattern = null,
    IReadOnlyList<string>? Options = null);

/// An action or a trigger (`type` POLLING or WEBHOOK for triggers).
public sealed record PieceOperation(
    string? Name,
    string? DisplayName = null,
    string? Description = null,
    bool? RequireAuth = null,
    string? Type = null,
    IReadOnlyDictionary<string, PieceProp>? Props = null);

public sealed record PieceSummaryDto(string Name, string DisplayName, string LatestVersion, IReadOnlyList<string> Versions);

public sealed record RegisteredPieceDto(
    string Name,
    string Version,
    string DisplayName,
    string? Description,
    string? LogoUrl,
    IReadOnlyList<PieceAuthDefinition> Auth,
    IReadOnlyList<PieceOperation> Actions,
    IReadOnlyList<PieceOperation> Triggers,
    DateTime Created,
    DateTime Updated)
{
    [JsonIgnore]
    public PieceMetadata Metadata => new(Name, Version, DisplayName, Description, LogoUrl, Auth, Actions, Triggers);
}

public static class PropTypes
{
    public const string ShortText = "SHORT_TEXT";
    public const string LongText = "LONG_TEXT";
    public const string SecretText = "SECRET_TEXT";
    public const string Number = "NUMBER";
    public const string Checkbox = "CHECKBOX";
    public const string StaticDropdown = "STATIC_DROPDOWN";
    public const string Dropdown = "DROPDOWN";
    public const string Json = "JSON";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
        { ShortText, LongText, SecretText, Number, Checkbox, StaticDropdown, Dropdown, Json };

    public static bool IsText(string? type) => type is ShortText or LongText or SecretText;
}

public static class AuthTypes
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
        { "SECRET_TEXT", "BASIC_AUTH", "CUSTOM_AUTH", "OAUTH2", "NO_AUTH" };
}
