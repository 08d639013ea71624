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

    /// The row for a key just generated (or configured): its hash and last four characters, never the key.
    public static ApiKey For(string value, string platformId, string? projectId, string displayName, DateTime created) => new()
    {
        Id = Ids.New(),
        PlatformId = platformId,
        ProjectId = projectId,
        DisplayName = displayName,
        HashedValue = ApiKeyHash.Hash(value),
        TruncatedValue = ApiKeyHash.Truncate(value),
        Created = created,
    };
}
