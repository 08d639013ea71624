using System.Text.Json.Serialization;
using Plugboard.Server.Http;

namespace Plugboard.Server.Flows;

/// An automation of one project: a trigger and its steps, kept as JSON as the client sent them (validated).
public sealed class Flow : ISeekable
{
    public required string Id { get; init; }
    public required string PlatformId { get; init; }
    public required string ProjectId { get; init; }
    public required string DisplayName { get; set; }
    public FlowStatus Status { get; set; }

    /// The trigger, a <see cref="FlowStep"/> as JSON.
    public required string TriggerJson { get; set; }

    /// The steps, a <see cref="FlowStep"/> array as JSON.
    public required string StepsJson { get; set; }

    /// Bumped on every write; a write that lost a race is a 409, not a silent overwrite.
    public long Version { get; set; }
    public DateTime Created { get; init; }
    public DateTime Updated { get; set; }

    /// The externalIds its steps reference: rewritten with the flow, in its transaction.
    public List<FlowConnectionRef> ConnectionRefs { get; init; } = [];
}

/// One connection externalId referenced by one flow, with the flow's tenant and project copied in so
/// "which flows of project P use X" is one index lookup.
public sealed class FlowConnectionRef
{
    public required string FlowId { get; init; }
    public required string PlatformId { get; init; }
    public required string ProjectId { get; init; }
    public required string ExternalId { get; init; }
}

public enum FlowStatus
{
    [JsonStringEnumMemberName("ENABLED")] Enabled,
    [JsonStringEnumMemberName("DISABLED")] Disabled,
}
