namespace Plugboard.Client;

/// <summary>A piece version's metadata, as a piece exports it and <see cref="PiecesClient.RegisterAsync"/> takes it.</summary>
public sealed record PieceMetadata
{
    /// <summary>The piece's name, e.g. <c>@acme/piece-crm</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The version, a semantic version such as <c>1.2.0</c>.</summary>
    public required string Version { get; init; }

    /// <summary>Its name for people.</summary>
    public required string DisplayName { get; init; }

    /// <summary>What it does.</summary>
    public string? Description { get; init; }

    /// <summary>Its logo.</summary>
    public string? LogoUrl { get; init; }

    /// <summary>The ways to authenticate to its service, one per type.</summary>
    public IReadOnlyList<PieceAuthDefinition>? Auth { get; init; }

    /// <summary>Its actions.</summary>
    public IReadOnlyList<PieceOperation>? Actions { get; init; }

    /// <summary>Its triggers.</summary>
    public IReadOnlyList<PieceOperation>? Triggers { get; init; }
}

/// <summary>One way to authenticate to a piece's service.</summary>
public sealed record PieceAuthDefinition
{
    /// <summary>The connection type it takes: <c>SECRET_TEXT</c>, <c>BASIC_AUTH</c>, <c>CUSTOM_AUTH</c>, <c>OAUTH2</c> or <c>NO_AUTH</c>.</summary>
    public required string Type { get; init; }

    /// <summary>Its name for people.</summary>
    public string? DisplayName { get; init; }

    /// <summary>What it is.</summary>
    public string? Description { get; init; }

    /// <summary>Whether the piece needs it.</summary>
    public bool? Required { get; init; }

    /// <summary>CUSTOM_AUTH only: the props a connection holds, by name.</summary>
    public IReadOnlyDictionary<string, PieceProp>? Props { get; init; }

    /// <summary>OAUTH2: the catalogue provider.</summary>
    public string? Provider { get; init; }

    /// <summary>OAUTH2: the authorize URL, when not from the provider.</summary>
    public string? AuthUrl { get; init; }

    /// <summary>OAUTH2: the token URL, when not from the provider.</summary>
    public string? TokenUrl { get; init; }

    /// <summary>OAUTH2: the scopes.</summary>
    public IReadOnlyList<string>? Scope { get; init; }

    /// <summary>OAUTH2: whether to use PKCE.</summary>
    public bool? Pkce { get; init; }

    /// <summary>The base URL the proxy calls the service under.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>Header templates the proxy fills from the connection.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Query parameter templates the proxy fills from the connection.</summary>
    public IReadOnlyDictionary<string, string>? Query { get; init; }
}

/// <summary>A property of an auth definition, action or trigger.</summary>
public sealed record PieceProp
{
    /// <summary>Its name for people.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Its type: <c>SHORT_TEXT</c>, <c>LONG_TEXT</c>, <c>SECRET_TEXT</c>, <c>NUMBER</c>, <c>CHECKBOX</c>,
    /// <c>STATIC_DROPDOWN</c>, <c>DROPDOWN</c> or <c>JSON</c>.</summary>
    public string? Type { get; init; }

    /// <summary>Whether a value must be given.</summary>
    public bool? Required { get; init; }

    /// <summary>What it is.</summary>
    public string? Description { get; init; }

    /// <summary>A regular expression a text value must match.</summary>
    public string? Pattern { get; init; }

    /// <summary>The choices of a STATIC_DROPDOWN.</summary>
    public IReadOnlyList<string>? Options { get; init; }
}

/// <summary>An action or a trigger of a piece.</summary>
public sealed record PieceOperation
{
    /// <summary>Its name, unique among the piece's actions (or triggers).</summary>
    public required string Name { get; init; }

    /// <summary>Its name for people.</summary>
    public string? DisplayName { get; init; }

    /// <summary>What it does.</summary>
    public string? Description { get; init; }

    /// <summary>Whether it needs a connection.</summary>
    public bool? RequireAuth { get; init; }

    /// <summary>A trigger's type: <c>POLLING</c>, <c>WEBHOOK</c> or <c>APP_WEBHOOK</c>.</summary>
    public string? Type { get; init; }

    /// <summary>Its input properties, by name.</summary>
    public IReadOnlyDictionary<string, PieceProp>? Props { get; init; }
}

/// <summary>A registered piece version.</summary>
/// <param name="Name">The piece's name.</param>
/// <param name="Version">The version.</param>
/// <param name="DisplayName">Its name for people.</param>
/// <param name="Description">What it does.</param>
/// <param name="LogoUrl">Its logo.</param>
/// <param name="Auth">The ways to authenticate to its service.</param>
/// <param name="Actions">Its actions.</param>
/// <param name="Triggers">Its triggers.</param>
/// <param name="Created">When the version was registered.</param>
/// <param name="Updated">When its metadata last changed.</param>
public sealed record RegisteredPiece(
    string Name, string Version, string DisplayName, string? Description, string? LogoUrl, IReadOnlyList<PieceAuthDefinition> Auth,
    IReadOnlyList<PieceOperation> Actions, IReadOnlyList<PieceOperation> Triggers, DateTimeOffset Created, DateTimeOffset Updated);

/// <summary>A registered piece and its versions.</summary>
/// <param name="Name">The piece's name.</param>
/// <param name="DisplayName">The latest version's name for people.</param>
/// <param name="LatestVersion">The latest version (the highest release).</param>
/// <param name="Versions">Every registered version, newest first.</param>
public sealed record PieceSummary(string Name, string DisplayName, string LatestVersion, IReadOnlyList<string> Versions);
