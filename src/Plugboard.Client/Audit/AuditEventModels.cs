using System.Text.Json.Nodes;

namespace Plugboard.Client;

/// <summary>One entry of the audit trail: who did what to which entity. Never holds a secret.</summary>
/// <param name="Id">The event's id.</param>
/// <param name="Created">When it happened.</param>
/// <param name="PlatformId">The platform it happened on.</param>
/// <param name="ProjectId">The project it concerns, if any.</param>
/// <param name="Action">What happened, e.g. <c>api_key.created</c>, <c>connection.proxied</c>.</param>
/// <param name="ActorType">The kind of caller (an API key, the operator, a user, an engine token).</param>
/// <param name="ActorId">The caller's id.</param>
/// <param name="EntityType">The kind of entity, e.g. <c>api_key</c>.</param>
/// <param name="EntityId">The entity's id.</param>
/// <param name="Details">What else the action records (names, counts), or null.</param>
public sealed record AuditEvent(
    string Id, DateTimeOffset Created, string PlatformId, string? ProjectId, string Action, string ActorType, string ActorId,
    string EntityType, string EntityId, JsonObject? Details);

/// <summary>Filters of <see cref="AuditEventsClient.ListAsync"/>, applied by the server before paging.</summary>
public sealed record AuditEventQuery
{
    /// <summary>Only this action, e.g. <c>api_key.created</c>.</summary>
    public string? Action { get; init; }

    /// <summary>Only events about this entity.</summary>
    public string? EntityId { get; init; }

    /// <summary>Only events of this project.</summary>
    public string? ProjectId { get; init; }

    /// <summary>Only events at or after this instant (inclusive).</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Only events before this instant (exclusive); must be later than <see cref="From"/>.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Rows per page, 1 to 100 (the server's default when null).</summary>
    public int? Limit { get; init; }
}
