using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Plugboard.Client;

/// <summary>Whether a flow runs.</summary>
public enum FlowStatus
{
    /// <summary>It runs.</summary>
    [JsonStringEnumMemberName("ENABLED")] Enabled,

    /// <summary>It does not (a new flow's status unless given).</summary>
    [JsonStringEnumMemberName("DISABLED")] Disabled,
}

/// <summary>A flow: a trigger and the steps after it.</summary>
/// <param name="Id">The flow's id.</param>
/// <param name="Created">When it was created.</param>
/// <param name="Updated">When it last changed.</param>
/// <param name="ProjectId">Its project.</param>
/// <param name="DisplayName">Its name.</param>
/// <param name="Status">Whether it runs.</param>
/// <param name="Trigger">Its trigger.</param>
/// <param name="Steps">Its steps, in order.</param>
/// <param name="ConnectionIds">The externalIds of the connections its steps reference.</param>
public sealed record Flow(
    string Id, DateTimeOffset Created, DateTimeOffset Updated, string ProjectId, string DisplayName, FlowStatus Status,
    FlowStep Trigger, IReadOnlyList<FlowStep> Steps, IReadOnlyList<string> ConnectionIds);

/// <summary>A trigger or step as stored. <see cref="ToString"/> leaves out the input, which may hold literal secrets.</summary>
/// <param name="Name">Its name, unique in the flow.</param>
/// <param name="PieceName">The piece it runs.</param>
/// <param name="PieceVersion">The piece version.</param>
/// <param name="Operation">The action or trigger it runs.</param>
/// <param name="Input">Its input; strings may reference connections, e.g. <c>{{connections['slack-main']}}</c>.</param>
public sealed record FlowStep(string Name, string PieceName, string? PieceVersion, string Operation, JsonObject Input)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name).Append(", PieceName = ").Append(PieceName).Append(", PieceVersion = ").Append(PieceVersion)
            .Append(", Operation = ").Append(Operation).Append(", Input = <redacted>");
        return true;
    }
}

/// <summary>A trigger or step to store. <see cref="ToString"/> leaves out the input, which may hold literal secrets.</summary>
public sealed record FlowStepRequest
{
    /// <summary>Its name, unique in the flow.</summary>
    public required string Name { get; init; }

    /// <summary>The piece it runs.</summary>
    public required string PieceName { get; init; }

    /// <summary>The action or trigger it runs.</summary>
    public required string Operation { get; init; }

    /// <summary>Its input (an empty object when null); a string of it such as <c>{{connections['slack-main']}}</c>
    /// references that connection, and a connection referenced but not there yet is created MISSING.</summary>
    public JsonObject? Input { get; init; }

    /// <summary>The piece version.</summary>
    public string? PieceVersion { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name).Append(", PieceName = ").Append(PieceName).Append(", PieceVersion = ").Append(PieceVersion)
            .Append(", Operation = ").Append(Operation).Append(Input is null ? "" : ", Input = <redacted>");
        return true;
    }
}

/// <summary>Filters of <see cref="FlowsClient.ListAsync"/>.</summary>
public sealed record FlowQuery
{
    /// <summary>The project (required with a platform key; a project key or session implies it).</summary>
    public string? ProjectId { get; init; }

    /// <summary>Only flows with this status.</summary>
    public FlowStatus? Status { get; init; }

    /// <summary>Rows per page, 1 to 100 (the server's default when null).</summary>
    public int? Limit { get; init; }
}

/// <summary>A new flow.</summary>
public sealed record CreateFlowRequest
{
    /// <summary>Its name.</summary>
    public required string DisplayName { get; init; }

    /// <summary>Its trigger.</summary>
    public required FlowStepRequest Trigger { get; init; }

    /// <summary>Its steps, in order.</summary>
    public IReadOnlyList<FlowStepRequest>? Steps { get; init; }

    /// <summary>The project (implied by a project key or session).</summary>
    public string? ProjectId { get; init; }

    /// <summary>Its status (DISABLED when null).</summary>
    public FlowStatus? Status { get; init; }
}

/// <summary>Changes to a flow: each field given replaces the stored one, those left null stay.</summary>
public sealed record UpdateFlowRequest
{
    /// <summary>A new name.</summary>
    public string? DisplayName { get; init; }

    /// <summary>A new status.</summary>
    public FlowStatus? Status { get; init; }

    /// <summary>A new trigger.</summary>
    public FlowStepRequest? Trigger { get; init; }

    /// <summary>New steps (replace them all).</summary>
    public IReadOnlyList<FlowStepRequest>? Steps { get; init; }
}

/// <summary>The connection one step uses from now on.</summary>
public sealed record SwitchStepConnectionRequest
{
    /// <summary>Its externalId; it must be a connection of the step's piece the flow's project sees.</summary>
    public required string Connection { get; init; }
}
