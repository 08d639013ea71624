using Plugboard.Server.Http;

namespace Plugboard.Server.OAuth;

/// The platform's own OAuth app for a piece (PLATFORM_OAUTH2): registered once by the platform admin,
/// its secret encrypted and never returned.
public sealed class OAuthApp : ISeekable
{
    public required string Id { get; init; }
    public required string PlatformId { get; init; }
    public required string PieceName { get; init; }
    public required string ClientId { get; init; }
    /// Ciphertext, bound to the platform and this row.
    public required string ClientSecret { get; set; }
    public DateTime Created { get; init; }
    public DateTime Updated { get; set; }
}

/// A platform's own entry in the provider catalogue, or its override of a built-in one (same name).
public sealed class PlatformOAuthProvider
{
    public required string Id { get; init; }
    public required string PlatformId { get; init; }
    public required string Name { get; init; }
    /// The <see cref="OAuthProvider"/> as JSON.
    public required string Definition { get; set; }
    public DateTime Created { get; init; }
    public DateTime Updated { get; set; }
}
