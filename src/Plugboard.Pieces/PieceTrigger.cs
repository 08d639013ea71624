using System.Text.Json.Nodes;

namespace Plugboard.Pieces;

/// <summary>The hooks of a polling trigger that a <see cref="PieceRunner"/> can call.</summary>
public enum TriggerHook
{
    /// <summary>The flow is enabled: set up whatever the polling needs.</summary>
    OnEnable,

    /// <summary>The flow is disabled: tear it down.</summary>
    OnDisable,

    /// <summary>One poll: returns the new items, each of which starts a run.</summary>
    Run,

    /// <summary>A poll from the builder's "test trigger": returns recent items as samples.</summary>
    Test,
}

/// <summary>A polling trigger: the engine calls <see cref="Run"/> on a schedule and starts a flow run per returned item.</summary>
public sealed class PieceTrigger : PieceOperation
{
    /// <summary>Called when a flow using the trigger is enabled; nothing by default.</summary>
    public Func<TriggerContext, Task>? OnEnable { get; init; }

    /// <summary>Called when a flow using the trigger is disabled; nothing by default.</summary>
    public Func<TriggerContext, Task>? OnDisable { get; init; }

    /// <summary>One poll: returns the new items.</summary>
    public required Func<TriggerContext, Task<JsonArray>> Run { get; init; }

    /// <summary>Returns sample items for the builder; <see cref="Run"/> when not set.</summary>
    public Func<TriggerContext, Task<JsonArray>>? Test { get; init; }

    /// <summary>
    /// An example item, for tools that show one before the trigger was ever tested. It is not part of
    /// <see cref="Piece.ToMetadata"/>: the registry's metadata has no field for it.
    /// </summary>
    public JsonNode? SampleData { get; init; }

    internal override string Kind => "Trigger";
}
