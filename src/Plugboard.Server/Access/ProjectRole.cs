using System.Text.Json.Serialization;

namespace Plugboard.Server.Access;

/// VIEWER reads; EDITOR also writes connections and flows; ADMIN also manages members and the project.
public enum ProjectRole
{
    [JsonStringEnumMemberName("VIEWER")] Viewer,
    [JsonStringEnumMemberName("EDITOR")] Editor,
    [JsonStringEnumMemberName("ADMIN")] Admin,
}
