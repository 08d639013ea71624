using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Plugboard.Client;

/// <summary>Filters of <see cref="AppConnectionsClient.ListAsync"/>; all of them are applied by the server,
/// before paging, so every page holds only matching rows.</summary>
public sealed record AppConnectionQuery
{
    /// <summary>The project (required with a platform key; a project key or session implies it).</summary>
    public string? ProjectId { get; init; }

    /// <summary>Only this piece's connections.</summary>
    public string? PieceName { get; init; }

    /// <summary>Only names containing this.</summary>
    public string? DisplayName { get; init; }

    /// <summary>Only these statuses.</summary>
    public IReadOnlyList<ConnectionStatus>? Statuses { get; init; }

    /// <summary>Only the project's own, or only global ones.</summary>
    public ConnectionScope? Scope { get; init; }

    /// <summary>Only connections made from this definition (stable key).</summary>
    public string? Definition { get; init; }

    /// <summary>Only connections whose top-level metadata string <c>key</c> equals the value, for every pair
    /// (e.g. <c>{ ["tenantId"] = "t1" }</c>): <c>metadata.key=value</c> on the query string.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Rows per page (the server's default when null).</summary>
    public int? Limit { get; init; }
}

/// <summary>Creates a project's connection, or updates the one with the same externalId (201 or 200).</summary>
public sealed record UpsertAppConnectionRequest
{
    /// <summary>The project (implied by a project key or session).</summary>
    public string? ProjectId { get; init; }

    /// <summary>The stable name the upsert is keyed by.</summary>
    public required string ExternalId { get; init; }

    /// <summary>Its name.</summary>
    public required string DisplayName { get; init; }

    /// <summary>The piece it authenticates.</summary>
    public required string PieceName { get; init; }

    /// <summary>The piece version (the registered latest when null).</summary>
    public string? PieceVersion { get; init; }

    /// <summary>The credentials; their type is the connection's.</summary>
    public required ConnectionValue Value { get; init; }

    /// <summary>The connection type, taken from <see cref="Value"/>.</summary>
    public ConnectionType Type => Value.Type;

    /// <summary>Free-form data (e.g. <c>tenantId</c>), filterable with <see cref="AppConnectionQuery.Metadata"/>.</summary>
    public JsonObject? Metadata { get; init; }

    /// <summary>The connection definition (stable key) it supplies credentials for.</summary>
    public string? Definition { get; init; }
}

/// <summary>Changes to a connection; a null field stays as it is.</summary>
public sealed record UpdateAppConnectionRequest
{
    /// <summary>A new name.</summary>
    public string? DisplayName { get; init; }

    /// <summary>New metadata (replaces the old).</summary>
    public JsonObject? Metadata { get; init; }
}

/// <summary>Moves every flow from one connection to another.</summary>
public sealed record ReplaceAppConnectionRequest
{
    /// <summary>The connection the flows use now.</summary>
    [JsonPropertyName("sourceAppConnectionId")] public required string SourceConnectionId { get; init; }

    /// <summary>The connection they will use.</summary>
    [JsonPropertyName("targetAppConnectionId")] public required string TargetConnectionId { get; init; }

    /// <summary>The project.</summary>
    public string? ProjectId { get; init; }

    /// <summary>Delete the source afterwards.</summary>
    public bool? DeleteSourceConnection { get; init; }
}

/// <summary>Asks for a provider's consent URL (with PKCE and a state the server checks).</summary>
public sealed record AuthorizationUrlRequest
{
    /// <summary>The piece.</summary>
    public required string PieceName { get; init; }

    /// <summary>The OAuth2 app's client id.</summary>
    public required string ClientId { get; init; }

    /// <summary>Where the provider sends the user back.</summary>
    public required string RedirectUrl { get; init; }

    /// <summary>The piece version.</summary>
    public string? PieceVersion { get; init; }

    /// <summary>The project.</summary>
    public string? ProjectId { get; init; }

    /// <summary>Values for the provider's {prop} placeholders.</summary>
    public JsonObject? Props { get; init; }

    /// <summary>A provider from the catalogue.</summary>
    public string? Provider { get; init; }

    /// <summary>Scopes to ask for.</summary>
    public IReadOnlyList<string>? Scopes { get; init; }

    /// <summary>The provider's authorize URL, when not from the piece or catalogue.</summary>
    public string? AuthorizeUrl { get; init; }

    /// <summary>A state of the caller's.</summary>
    public string? State { get; init; }

    /// <summary>Whether to use PKCE.</summary>
    public bool? Pkce { get; init; }
}

/// <summary>A provider's consent URL.</summary>
/// <param name="AuthorizationUrl">Where to send the user.</param>
/// <param name="CodeVerifier">The PKCE verifier to send with the code (as <c>code_challenge</c>).</param>
/// <param name="State">The state the callback must carry back.</param>
public sealed record AuthorizationUrlResponse(string AuthorizationUrl, string? CodeVerifier, string State)
{
    /// <summary>The URL and state; the verifier is a secret and is not printed.</summary>
    public override string ToString() => $"AuthorizationUrlResponse {{ AuthorizationUrl = {AuthorizationUrl}, State = {State} }}";
}
