using Plugboard.Server.Http;

namespace Plugboard.Server.Platform;

public sealed class PlatformEntity : ISeekable
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public required string OwnerId { get; set; }
    public DateTime Created { get; init; }
    /// Set by the operator: the platform's API keys, engine tokens and sessions are refused until it is enabled again.
    public DateTime? DisabledAt { get; set; }
    /// The web origins that may open its embeddable Connect screen, a JSON array (<see cref="Platform.AllowedOrigins"/>).
    public string AllowedOrigins { get; set; } = "[]";
}

public sealed class User : Plugboard.Server.Http.ISeekable
{
    public required string Id { get; init; }
    public required string PlatformId { get; init; }
    public required string Email { get; set; }
    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public PlatformRole PlatformRole { get; set; }
    /// The SaaS's own id for an embedded user (managed authentication); null for others.
    public string? ExternalId { get; init; }
    public DateTime Created { get; init; }
}

public enum PlatformRole
{
    Admin,
    Member,
}
