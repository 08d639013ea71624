namespace Plugboard.Server.Connections;

/// One thing a page of connections shows beyond its rows: a project a global connection is shared with, a
/// flow using a connection, or an owner. Every kind has this one shape so that all of them come back in one
/// UNION ALL round trip, whatever the page's size (<see cref="ConnectionViews.ToDtosAsync"/>).
public sealed class PageFact
{
    public const int ProjectKind = 0;
    public const int FlowKind = 1;
    public const int OwnerKind = 2;
    public const int DefinitionKind = 3;

    /// The connection's id (projects, flows), the owner's user id (owners) or the definition's id (definitions).
    public required string Key { get; init; }
    public required int Kind { get; init; }

    /// The project id, the flow id, the owner's email, or the definition's stable key.
    public required string Value { get; init; }

    /// The owner's first name, or who supplies a definition's credentials.
    public required string FirstName { get; init; }
    public required string LastName { get; init; }
}
