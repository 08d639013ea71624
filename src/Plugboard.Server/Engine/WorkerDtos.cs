using System.Text.Json;
using System.Text.Json.Serialization;
using Plugboard.Server.Connections;
using Plugboard.Server.Http;

namespace Plugboard.Server.Engine;

/// What a running step gets: the connection with its (redacted) value. The one response that carries a secret.
public sealed record WorkerConnectionDto(
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
    string? OwnerId,
    JsonElement? Metadata,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Value)
{
    /// The connection for `projectId`; `value` is null only on the benchmark's floor route, which leaves it out.
    public static WorkerConnectionDto From(AppConnection c, string projectId, JsonElement? value) => new(
        c.Id, c.Created, c.Updated, c.ExternalId, c.DisplayName, c.Type, c.PieceName, c.PieceVersion,
        // Only the reading project: which other customers share a global connection is not this engine's business.
        [projectId], c.PlatformId, c.Scope, c.Status, c.StatusReason, c.StatusChangedAt, c.ExpiresAt, c.OwnerId,
        Validate.ParseMetadata(c.Metadata), value);
}

public sealed record WorkerProjectDto(string Id, string? ExternalId, string DisplayName);

/// `testRun: true` mints a token for the test runner: its reads get a definition's test credential where one is set.
public sealed record IssueEngineTokenRequest(string? ProjectId, int? TtlSeconds = null, bool? TestRun = null);

public sealed record EngineTokenDto(string Token, DateTime ExpiresAt);
