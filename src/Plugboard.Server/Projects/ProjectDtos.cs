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
    string? ExternalId,
    JsonElement? Metadata,
    string[]? GlobalConnectionExternalIds);

public sealed record UpdateProjectRequest(
    string? DisplayName,
    string? ExternalId,
    JsonElement? Metadata,
    string[]? GlobalConnectionExternalIds);

public static class ProjectMapping
{
    public static ProjectDto ToDto(this Project p) =>
        new(p.Id, p.Created, p.Updated, p.PlatformId, p.OwnerId, p.DisplayName, p.ExternalId, Validate.ParseMetadata(p.Metadata), "TEAM");
}
