using System.Text.Json;

namespace Plugboard.Server.Flows;

/// A trigger or step as stored and returned. `operation` is the action or trigger name; `input` is an object
/// whose strings may reference connections.
public sealed record FlowStep(string Name, string PieceName, string? PieceVersion, string Operation, JsonElement Input);

public sealed record FlowDto(
    string Id,
    DateTime Created,
    DateTime Updated,
    string ProjectId,
    string DisplayName,
    FlowStatus Status,
    FlowStep Trigger,
    IReadOnlyList<FlowStep> Steps,
    IReadOnlyList<string> ConnectionIds);

public sealed record FlowStepRequest(
    string? Name,
    string? PieceName,
    string? Operation,
    JsonElement? Input = null,
    string? PieceVersion = null);

/// projectId may be left out with a project key; status defaults to DISABLED, as a new flow is in Activepieces.
public sealed record CreateFlowRequest(
    string? DisplayName,
    FlowStepRequest? Trigger,
    FlowStepRequest[]? Steps = null,
    string? ProjectId = null,
    string? Status = null);

/// Each field given replaces the stored one; those left out stay.
public sealed record UpdateFlowRequest(
    string? DisplayName = null,
    string? Status = null,
    FlowStepRequest? Trigger = null,
    FlowStepRequest[]? Steps = null);

/// The externalId of the connection the step uses from now on.
public sealed record SwitchStepConnectionRequest(string? Connection);

public sealed record ReplaceConnectionRequest(
    string? SourceAppConnectionId,
    string? TargetAppConnectionId,
    string? ProjectId = null,
    bool? DeleteSourceConnection = null);
