using Plugboard.Server.Http;

namespace Plugboard.Server.Platform;

/// An API key as stored: only its SHA-256 hash and last four characters, never the key.
public sealed class ApiKey : ISeekable
{
    public required string Id { get; init; }
    public required string PlatformId { get; init; }
    /// Null for a platform key (every project of the platform); set for a project key.
    public string? ProjectId { get; init; }
    public required string DisplayName { get; set; }
    public required string HashedValue { get; init; }
    public required string TruncatedValue { get; init; }
    public DateTime Created { get; init; }
}
