using Plugboard.Server.Http;

namespace Plugboard.Server.Projects;

public sealed class Project : ISeekable
{
    public required string Id { get; init; }
    public required string PlatformId { get; init; }
    public required string OwnerId { get; set; }
    public required string DisplayName { get; set; }
    public string? ExternalId { get; set; }
    /// JSON object text, or null.
    public string? Metadata { get; set; }
    public DateTime Created { get; init; }
    public DateTime Updated { get; set; }
}
