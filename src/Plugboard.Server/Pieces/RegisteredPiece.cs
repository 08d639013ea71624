namespace Plugboard.Server.Pieces;

/// One version of a piece registered by a platform. The metadata is stored as the JSON it was given.
public sealed class RegisteredPiece
{
    public required string Id { get; init; }
    public required string PlatformId { get; init; }
    public required string Name { get; init; }
    public required string Version { get; init; }
    public required string DisplayName { get; set; }
    public required string Metadata { get; set; }
    public DateTime Created { get; init; }
    public DateTime Updated { get; set; }
}
