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
    string? OwnerId,
    OwnerDto? Owner,
    JsonElement? Metadata,
    IReadOnlyList<string> FlowIds,
    bool PreSelectForNewProjects);

public sealed record OwnerDto(string Email, string FirstName, string LastName);

public sealed record UpsertConnectionRequest(
    string? ProjectId,
    string? ExternalId,
    string? DisplayName,
    string? PieceName,
    string? PieceVersion,
    string? Type,
    JsonElement? Value,
    JsonElement? Metadata);

public sealed record UpsertGlobalConnectionRequest(
    string? ExternalId,
    string? DisplayName,
    string? PieceName,
    string? PieceVersion,
    string? Type,
    JsonElement? Value,
    JsonElement? Metadata,
    string? Scope,
    string[]? ProjectIds,
    bool? PreSelectForNewProjects);

public sealed record UpdateConnectionRequest(string? DisplayName, JsonElement? Metadata);

public sealed record UpdateGlobalConnectionRequest(
    string? DisplayName,
    JsonElement? Metadata,
    string[]? ProjectIds,
    bool? PreSelectForNewProjects);
