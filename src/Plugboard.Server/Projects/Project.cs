using Plugboard.Server.Http;

namespace Plugboard.Server.Projects;

public sealed class Project : ISeekable
{
    private string _displayName = "";

    public required string Id { get; init; }
    public required string PlatformId { get; init; }
    public required string OwnerId { get; set; }
    public required string DisplayName
    {
        get => _displayName;
        set => (_displayName, DisplayNameSearch) = (value, SearchText.Fold(value));
    }

    /// DisplayName case-folded in .NET, so the case-insensitive filter works beyond ASCII on both engines.
    public string DisplayNameSearch { get; private set; } = "";
    public string? ExternalId { get; set; }
    /// JSON object text, or null.
    public string? Metadata { get; set; }
    public DateTime Created { get; init; }
    public DateTime Updated { get; set; }
}
