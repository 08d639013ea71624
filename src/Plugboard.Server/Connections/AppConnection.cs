using System.Text.Json.Serialization;
using Plugboard.Server.Http;

namespace Plugboard.Server.Connections;

public sealed class AppConnection : ISeekable
{
    private string _displayName = "";

    /// The value of <see cref="ScopeKey"/> for PLATFORM connections: one externalId per platform.
    public const string PlatformScopeKey = "*";

    public required string Id { get; init; }
    public required string PlatformId { get; init; }
    public required string ExternalId { get; init; }
    public required ConnectionScope Scope { get; init; }
    /// The owning project for PROJECT scope, "*" for PLATFORM scope; unique with (PlatformId, ExternalId).
    public required string ScopeKey { get; init; }
    public required string DisplayName
    {
        get => _displayName;
        set => (_displayName, DisplayNameSearch) = (value, SearchText.Fold(value));
    }

    /// DisplayName case-folded in .NET, so the case-insensitive filter works beyond ASCII on both engines.
    public string DisplayNameSearch { get; private set; } = "";
    public required string PieceName { get; set; }
    public string? PieceVersion { get; set; }
    public required ConnectionType Type { get; set; }
    public ConnectionStatus Status { get; set; }
    public string? OwnerId { get; set; }
    /// Ciphertext of the value's JSON: v1:keyId:nonce:ciphertext+tag. Never leaves through a DTO.
    public required string Value { get; set; }
    public string? Metadata { get; set; }
    public bool PreSelectForNewProjects { get; set; }
    /// Bumped on every write; writers compare-and-swap on it.
    public long Version { get; set; }
    public DateTime Created { get; init; }
    public DateTime Updated { get; set; }

    /// Why the status is what it is: the refresh failure behind an ERROR, or a transient one being retried.
    public string? StatusReason { get; set; }
    public DateTime? StatusChangedAt { get; set; }

    /// OAuth2 only: when the access token expires (provider's expires_in, or the assumed lifetime) and
    /// when the refresher next acts on it (before expiry, at least daily). Null for other types.
    public DateTime? ExpiresAt { get; set; }
    public DateTime? NextRefreshAt { get; set; }
    public DateTime? LastRefreshedAt { get; set; }

    /// The cross-replica refresh lease: whoever holds it (until it lapses) is the one refreshing.
    public string? RefreshLeaseOwner { get; set; }
    public DateTime? RefreshLeaseUntil { get; set; }

    /// Transient refresh failures: attempts in the current streak, and distinct days with a failure.
    public int RefreshFailureCount { get; set; }
    public int RefreshFailureDays { get; set; }
    public DateTime? LastRefreshFailureAt { get; set; }

    /// When a refresh attempt's answer was lost (a timeout or a dropped connection after the request went out): the
    /// provider may have rotated the refresh token, so the next invalid_grant is not yet proof of a dead grant.
    /// Cleared by a success, by that next determinate refusal, and by new credentials.
    public DateTime? RefreshIndeterminateAt { get; set; }

    /// The definition it was made from (seed 004): its value then holds only its own part, the definition's global
    /// values are inherited at use. Null for a self-contained connection.
    public string? DefinitionId { get; set; }

    /// Whether embedded users see it (global connections; true by default so the Activepieces flow keeps working).
    public bool Embedded { get; set; } = true;

    public bool IsOAuth => Type is ConnectionType.OAuth2 or ConnectionType.CloudOAuth2 or ConnectionType.PlatformOAuth2;

    public List<AppConnectionProject> Projects { get; init; } = [];
}

/// Which projects a connection is visible in: its own project, or those a global connection is shared with.
public sealed class AppConnectionProject
{
    public required string ConnectionId { get; init; }
    public required string ProjectId { get; init; }
    public required string PlatformId { get; init; }
}

public enum ConnectionScope
{
    [JsonStringEnumMemberName("PROJECT")] Project,
    [JsonStringEnumMemberName("PLATFORM")] Platform,
}

public enum ConnectionStatus
{
    [JsonStringEnumMemberName("ACTIVE")] Active,
    [JsonStringEnumMemberName("MISSING")] Missing,
    [JsonStringEnumMemberName("ERROR")] Error,
}

public enum ConnectionType
{
    [JsonStringEnumMemberName("SECRET_TEXT")] SecretText,
    [JsonStringEnumMemberName("BASIC_AUTH")] BasicAuth,
    [JsonStringEnumMemberName("CUSTOM_AUTH")] CustomAuth,
    [JsonStringEnumMemberName("NO_AUTH")] NoAuth,
    [JsonStringEnumMemberName("OAUTH2")] OAuth2,
    [JsonStringEnumMemberName("CLOUD_OAUTH2")] CloudOAuth2,
    [JsonStringEnumMemberName("PLATFORM_OAUTH2")] PlatformOAuth2,
}
