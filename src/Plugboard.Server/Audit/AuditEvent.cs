using Plugboard.Server.Http;

namespace Plugboard.Server.Audit;

/// Who did what to which entity, and when. Never holds a secret value.
public sealed class AuditEvent : ISeekable
{
    public required string Id { get; init; }
    public required string PlatformId { get; init; }
    public string? ProjectId { get; init; }
    public required string Action { get; init; }
    public required string ActorType { get; init; }
    public required string ActorId { get; init; }
    public required string EntityType { get; init; }
    public required string EntityId { get; init; }
    /// Non-secret facts (names, externalIds) as a JSON object.
    public string? Details { get; init; }
    public DateTime Created { get; init; }
}
