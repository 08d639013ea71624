using System.Text.Json;
using Plugboard.Server.Access;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Audit;

public static class AuditLog
{
    public const string SystemActor = "SYSTEM";

    /// Adds the event to the unit of work, so it commits with the change it records, or not at all.
    /// `details` must hold names and ids only, never a secret value.
    public static void Record(this PlugboardDb db, TimeProvider time, Caller caller, string action, string entityType, string entityId,
        string? projectId = null, object? details = null) =>
        db.Record(time, caller.PlatformId, caller.ActorType, caller.ActorId, action, entityType, entityId, projectId, details);

    public static void Record(this PlugboardDb db, TimeProvider time, string platformId, string actorType, string actorId,
        string action, string entityType, string entityId, string? projectId = null, object? details = null) =>
        db.AuditEvents.Add(Create(time, platformId, actorType, actorId, action, entityType, entityId, projectId, details));

    public static AuditEvent Create(TimeProvider time, string platformId, string actorType, string actorId,
        string action, string entityType, string entityId, string? projectId = null, object? details = null) =>
        new()
        {
            Id = Ids.New(),
            PlatformId = platformId,
            ProjectId = projectId,
            Action = action,
            ActorType = actorType,
            ActorId = actorId,
            EntityType = entityType,
            EntityId = entityId,
            Details = details is null ? null : JsonSerializer.Serialize(details, JsonDefaults.Options),
            Created = time.UtcNow(),
        };
}
