using System.Text.Json.Serialization;

namespace Plugboard.Server.Projects;

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

/// VIEWER reads; EDITOR also writes connections and flows; ADMIN also manages members and the project.
public enum ProjectRole
{
    [JsonStringEnumMemberName("VIEWER")] Viewer,
    [JsonStringEnumMemberName("EDITOR")] Editor,
    [JsonStringEnumMemberName("ADMIN")] Admin,
}
