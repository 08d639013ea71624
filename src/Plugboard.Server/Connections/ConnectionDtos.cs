using System.Text.Json;

namespace Plugboard.Server.Connections;

/// A connection as every public route returns it: no value, no secret, by construction.
public sealed record ConnectionDto(
    string Id,
    DateTime Created,
    DateTime Updated,
    string ExternalId,
    string DisplayName,
    ConnectionType Type,
    string PieceName,
    string? PieceVersion,
    IReadOnlyList<string> ProjectIds,
    string PlatformId,
    ConnectionScope Scope,
    ConnectionStatus Status,
    string? StatusReason,
    DateTime? StatusChangedAt,
    DateTime? ExpiresAt,
    DateTime? NextRefreshAt,
    string? OwnerId,
    OwnerDto? Owner,
    JsonElement? Metadata,
    IReadOnlyList<string> FlowIds,
    bool PreSelectForNewProjects,
    string? Definition = null,
    CredentialSupplier? SuppliedBy = null,
    bool Embedded = true);

public sealed record OwnerDto(string Email, string FirstName, string LastName);

/// Required by the contract: externalId, displayName, pieceName, type, value. projectId may be left out
/// with a project key.
/// With `definition` (a definition's stableKey) the connection is made from it: externalId defaults to the stable key,
/// displayName to the definition's, pieceName and type are the definition's, and `value` holds the customer's part only.
public sealed record UpsertConnectionRequest(
    string? ExternalId,
    string? DisplayName,
    string? PieceName,
    string? Type,
    JsonElement? Value,
    string? ProjectId = null,
    string? PieceVersion = null,
    JsonElement? Metadata = null,
    string? Definition = null);

public sealed record UpsertGlobalConnectionRequest(
    string? DisplayName,
    string? PieceName,
    string? Type,
    JsonElement? Value,
    string? ExternalId = null,
    string? PieceVersion = null,
    JsonElement? Metadata = null,
    string? Scope = null,
    string[]? ProjectIds = null,
    bool? PreSelectForNewProjects = null,
    bool? Embedded = null);

public sealed record UpdateConnectionRequest(string? DisplayName = null, JsonElement? Metadata = null);

public sealed record UpdateGlobalConnectionRequest(
    string? DisplayName = null,
    JsonElement? Metadata = null,
    string[]? ProjectIds = null,
    bool? PreSelectForNewProjects = null,
    bool? Embedded = null);
