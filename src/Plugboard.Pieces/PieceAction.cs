using System.Text.Json.Nodes;

namespace Plugboard.Pieces;

/// <summary>An action: a step that does one thing and returns JSON.</summary>
public sealed class PieceAction : PieceOperation
{
    /// <summary>Runs the action with the resolved input; what it returns is the step's output.</summary>
    public required Func<ActionContext, Task<JsonNode?>> Run { get; init; }

    internal override string Kind => "Action";
}
