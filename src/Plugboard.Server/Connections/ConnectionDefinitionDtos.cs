using System.Text.Json;

namespace Plugboard.Server.Connections;

/// A definition as reads return it: the names of its global values, never the values.
public sealed record ConnectionDefinitionDto(
    string Id,
    string StableKey,
    string DisplayName,
    string PieceName,
    string? PieceVersion,
    ConnectionType Type,
    DefinitionCredentials Credentials,
    CredentialSupplier? SuppliedBy,
    IReadOnlyList<string> GlobalValueKeys,
    bool Embedded,
    string? ProxyBaseUrl,
    bool HasTestValue,
    ConnectionStatus Status,
    DateTime Created,
    DateTime Updated)
{
    public static ConnectionDefinitionDto From(ConnectionDefinition d) => new(
        d.Id, d.StableKey, d.DisplayName, d.PieceName, d.PieceVersion, d.Type, d.Credentials, d.SuppliedBy,
        JsonSerializer.Deserialize<List<string>>(d.GlobalValueKeys) ?? [], d.Embedded, d.ProxyBaseUrl, d.TestValue is not null, d.Status, d.Created, d.Updated);
}

/// Create or replace a definition by stableKey. `value` and `projectIds` are for ORGANIZATION credentials only: the
/// organization's own part of its one global connection, and the projects it is narrowed to (default: every project,
/// now and future).
public sealed record UpsertConnectionDefinitionRequest(
    string? StableKey,
    string? DisplayName,
    string? PieceName,
    string? Type,
    string? Credentials,
    string? SuppliedBy = null,
    JsonElement? GlobalValues = null,
    bool? Embedded = null,
    string? PieceVersion = null,
    JsonElement? Value = null,
    string[]? ProjectIds = null,
    string? ProxyBaseUrl = null);

/// Changes what is given. `globalValues` is merged into the stored ones field by field (null removes a field), so
/// rotating a client secret sends only the secret.
public sealed record UpdateConnectionDefinitionRequest(
    string? DisplayName = null,
    JsonElement? GlobalValues = null,
    bool? Embedded = null,
    JsonElement? Value = null,
    string[]? ProjectIds = null,
    string? ProxyBaseUrl = null);

public sealed record DefinitionTestValueRequest(JsonElement? Value);
