namespace Plugboard.Pieces;

/// <summary>What actions and triggers have in common: a name, their props and whether they need a connection.</summary>
public abstract class PieceOperation
{
    private protected PieceOperation()
    {
    }

    /// <summary>The operation's name, unique among the piece's actions (or triggers), e.g. <c>newFlavorCreated</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The name shown to users.</summary>
    public required string DisplayName { get; init; }

    /// <summary>What the operation does.</summary>
    public string? Description { get; init; }

    /// <summary>
    /// Whether a step must pick a connection in its <c>auth</c> input (true by default). Set it to false for
    /// predefined connections, which the code fetches itself through <see cref="PieceContext.Connections"/>.
    /// </summary>
    public bool RequireAuth { get; init; } = true;

    /// <summary>The operation's inputs, by name (the order is kept in the metadata).</summary>
    public IReadOnlyDictionary<string, PieceProp> Props { get; init; } = new Dictionary<string, PieceProp>();

    /// <summary>"action" or "trigger", for messages.</summary>
    internal abstract string Kind { get; }
}
