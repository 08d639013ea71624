using Plugboard.Server.Access;

namespace Plugboard.Server.Platform;

/// A user's role in one project.
public sealed class ProjectMember
{
    public required string ProjectId { get; init; }
    public required string UserId { get; init; }
    public required string PlatformId { get; init; }
    public ProjectRole Role { get; set; }
    public DateTime Created { get; init; }
    public DateTime Updated { get; set; }
}

