namespace Plugboard.Server.Platform;

public sealed class PlatformEntity
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public required string OwnerId { get; set; }
    public DateTime Created { get; init; }
}

public sealed class User
{
    public required string Id { get; init; }
    public required string PlatformId { get; init; }
    public required string Email { get; set; }
    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public PlatformRole PlatformRole { get; set; }
    public DateTime Created { get; init; }
}

public enum PlatformRole
{
    Admin,
    Member,
}
