using System.Text.Json;
using Plugboard.Server.Http;

namespace Plugboard.Server.Projects;

public sealed record ProjectDto(
    string Id,
    DateTime Created,
    DateTime Updated,
    string PlatformId,
    string OwnerId,
    string DisplayName,
    string? ExternalId,
    JsonElement? Metadata,
    string Type);

public sealed record CreateProjectRequest(
    string? DisplayName,
    string? ExternalId = null,
    JsonElement? Metadata = null,
    string[]? GlobalConnectionExternalIds = null);

public sealed record UpdateProjectRequest(
    string? DisplayName = null,
    string? ExternalId = null,
    JsonElement? Metadata = null,
    string[]? GlobalConnectionExternalIds = null);

public static class ProjectMapping
{
    public static ProjectDto ToDto(this Project p) =>
        new(p.Id, p.Created, p.Updated, p.PlatformId, p.OwnerId, p.DisplayName, p.ExternalId, Validate.ParseMetadata(p.Metadata), "TEAM");
}
