using System.Text.Json.Nodes;

namespace Plugboard.Client;

/// <summary>A connection as lists and reads show it: everything but its value.</summary>
/// <param name="Id">The connection's id.</param>
/// <param name="Created">When it was created.</param>
/// <param name="Updated">When it last changed.</param>
/// <param name="ExternalId">The caller's stable name for it, unique per project (or per platform for a global one).</param>
/// <param name="DisplayName">Its name.</param>
/// <param name="Type">The kind of credentials.</param>
/// <param name="PieceName">The piece it authenticates.</param>
/// <param name="PieceVersion">The piece version it was made for.</param>
/// <param name="ProjectIds">The projects that see it.</param>
/// <param name="PlatformId">Its platform.</param>
/// <param name="Scope">A project's own, or global.</param>
/// <param name="Status">Whether it can be used.</param>
/// <param name="StatusReason">Why it is in ERROR, in words.</param>
/// <param name="StatusChangedAt">When the status last changed.</param>
/// <param name="ExpiresAt">When its access token expires (OAuth2).</param>
/// <param name="NextRefreshAt">When Plugboard will refresh it next (OAuth2).</param>
/// <param name="OwnerId">The user who owns it.</param>
/// <param name="Owner">That user's name and email.</param>
/// <param name="Metadata">Free-form data of the SaaS's (e.g. <c>tenantId</c>).</param>
/// <param name="FlowIds">The flows that use it.</param>
/// <param name="PreSelectForNewProjects">Whether new projects see it from the start (global).</param>
/// <param name="Definition">The stable key of the connection definition it was made from.</param>
/// <param name="SuppliedBy">Who supplies its credentials (definition connections).</param>
/// <param name="Embedded">Whether embedded users may see it.</param>
public sealed record AppConnection(
    string Id, DateTimeOffset Created, DateTimeOffset Updated, string ExternalId, string DisplayName, ConnectionType Type,
    string PieceName, string? PieceVersion, IReadOnlyList<string> ProjectIds, string PlatformId, ConnectionScope Scope,
    ConnectionStatus Status, string? StatusReason, DateTimeOffset? StatusChangedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? NextRefreshAt, string? OwnerId, ConnectionOwner? Owner, JsonObject? Metadata, IReadOnlyList<string> FlowIds,
    bool PreSelectForNewProjects, string? Definition = null, CredentialSupplier? SuppliedBy = null, bool Embedded = false);

/// <summary>The user who owns a connection.</summary>
/// <param name="Email">Their email.</param>
/// <param name="FirstName">Their first name.</param>
/// <param name="LastName">Their last name.</param>
public sealed record ConnectionOwner(string Email, string FirstName, string LastName);
