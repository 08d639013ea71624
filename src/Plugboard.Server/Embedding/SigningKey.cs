using Plugboard.Server.Http;

namespace Plugboard.Server.Embedding;

/// A SaaS's RSA public key (PEM): external tokens naming it as `kid` are verified with it. The private key
/// is never stored; when Plugboard generated the pair it was shown once.
public sealed class SigningKey : ISeekable
{
    public required string Id { get; init; }
    public required string PlatformId { get; init; }
    public required string DisplayName { get; set; }
    public required string PublicKey { get; init; }
    /// When set, an external token's `iss` / `aud` must equal them.
    public string? Issuer { get; init; }
    public string? Audience { get; init; }
    public DateTime Created { get; init; }
}
