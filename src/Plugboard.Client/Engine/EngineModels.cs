using System.Text.Json.Nodes;

namespace Plugboard.Client;

/// <summary>An engine token for one project.</summary>
public sealed record IssueEngineTokenRequest
{
    /// <summary>The project whose connections the token reads.</summary>
    public required string ProjectId { get; init; }

    /// <summary>How long the token lives, in seconds (the server's default when null, at most its maximum).</summary>
    public int? TtlSeconds { get; init; }

    /// <summary>A token for a test run: its reads get a connection definition's test credential where one is set.</summary>
    public bool? TestRun { get; init; }
}

/// <summary>An engine token, to use with <see cref="PlugboardClient.ForEngine"/>. <see cref="ToString"/> never prints it.</summary>
/// <param name="Token">The token.</param>
/// <param name="ExpiresAt">When it expires.</param>
public sealed record EngineToken(string Token, DateTimeOffset ExpiresAt)
{
    /// <summary>The expiry only.</summary>
    public override string ToString() => $"EngineToken {{ Token = <redacted>, ExpiresAt = {ExpiresAt} }}";
}

/// <summary>A connection as a running step reads it: with its credentials, the one answer meant to hand them out
/// (an OAuth2 refresh token and client secret stay redacted). <see cref="ToString"/> never prints the value.</summary>
/// <param name="Id">The connection's id.</param>
/// <param name="Created">When it was created.</param>
/// <param name="Updated">When it last changed.</param>
/// <param name="ExternalId">Its externalId.</param>
/// <param name="DisplayName">Its name.</param>
/// <param name="Type">The kind of credentials.</param>
/// <param name="PieceName">The piece it authenticates.</param>
/// <param name="PieceVersion">The piece version it was made for.</param>
/// <param name="ProjectIds">The reading project only (which other projects share a global connection is not said).</param>
/// <param name="PlatformId">Its platform.</param>
/// <param name="Scope">A project's own, or global.</param>
/// <param name="Status">Whether it can be used.</param>
/// <param name="StatusReason">Why it is in ERROR, in words.</param>
/// <param name="StatusChangedAt">When the status last changed.</param>
/// <param name="ExpiresAt">When its access token expires (OAuth2).</param>
/// <param name="OwnerId">The user who owns it.</param>
/// <param name="Metadata">Free-form data of the SaaS's.</param>
/// <param name="Value">The credentials (refreshed first when an OAuth2 token was due).</param>
public sealed record WorkerConnection(
    string Id, DateTimeOffset Created, DateTimeOffset Updated, string ExternalId, string DisplayName, ConnectionType Type,
    string PieceName, string? PieceVersion, IReadOnlyList<string> ProjectIds, string PlatformId, ConnectionScope Scope,
    ConnectionStatus Status, string? StatusReason, DateTimeOffset? StatusChangedAt, DateTimeOffset? ExpiresAt, string? OwnerId,
    JsonObject? Metadata, ConnectionValue? Value)
{
    /// <summary>Everything but the value.</summary>
    public override string ToString() =>
        $"WorkerConnection {{ Id = {Id}, ExternalId = {ExternalId}, DisplayName = {DisplayName}, Type = {Type}, PieceName = {PieceName}, " +
        $"Scope = {Scope}, Status = {Status}, ExpiresAt = {ExpiresAt}, Value = <redacted> }}";
}

/// <summary>The engine token's project.</summary>
/// <param name="Id">The project's id.</param>
/// <param name="ExternalId">The SaaS's own id for the customer.</param>
/// <param name="DisplayName">Its name.</param>
public sealed record WorkerProject(string Id, string? ExternalId, string DisplayName);

/// <summary>The SaaS's signed external token (an RS256 JWT whose <c>kid</c> names a signing key). <see cref="ToString"/>
/// never prints it.</summary>
public sealed record ExternalTokenRequest
{
    /// <summary>The JWT, with the claims <c>externalUserId</c> and <c>externalProjectId</c> (and optionally <c>role</c>,
    /// <c>projectDisplayName</c>, <c>firstName</c>, <c>lastName</c>).</summary>
    public required string ExternalAccessToken { get; init; }

    /// <summary>Nothing of the token.</summary>
    public override string ToString() => "ExternalTokenRequest { ExternalAccessToken = <redacted> }";
}

/// <summary>An embedded user's session: its token (use it with <c>client.WithKey(session.Token)</c>) and who it is for.
/// <see cref="ToString"/> never prints the token.</summary>
/// <param name="Token">The session token.</param>
/// <param name="ExpiresAt">When it expires.</param>
/// <param name="ProjectId">The project it is bound to (provisioned on first sign-in).</param>
/// <param name="PlatformId">Its platform.</param>
/// <param name="Id">The user's id.</param>
/// <param name="ExternalId">The user's id in the SaaS.</param>
/// <param name="Email">The user's email.</param>
/// <param name="FirstName">Their first name.</param>
/// <param name="LastName">Their last name.</param>
/// <param name="ProjectRole">Their role in the project.</param>
public sealed record ManagedAuthnResponse(
    string Token, DateTimeOffset ExpiresAt, string ProjectId, string PlatformId, string Id, string? ExternalId, string Email,
    string FirstName, string LastName, ProjectRole ProjectRole)
{
    /// <summary>Everything but the token.</summary>
    public override string ToString() =>
        $"ManagedAuthnResponse {{ Token = <redacted>, ExpiresAt = {ExpiresAt}, ProjectId = {ProjectId}, PlatformId = {PlatformId}, Id = {Id}, " +
        $"ExternalId = {ExternalId}, Email = {Email}, FirstName = {FirstName}, LastName = {LastName}, ProjectRole = {ProjectRole} }}";
}
