using Plugboard.Server.Http;

namespace Plugboard.Server.Connections;

/// The step of an upsert that turns what a caller sent into the value to store: for OAuth2 types the code
/// exchange (or the tokens already issued) and the token's schedule; every other type passes through unchanged.
/// Connections ask; OAuth answers (OAuthClaim), so this folder never depends on OAuth.
public interface IConnectionClaim
{
    Task<Outcome<ClaimedValue>> CompleteAsync(string platformId, string pieceName, ConnectionType type, string valueJson, CancellationToken ct);
}

/// The value to store and, for an OAuth2 token, when it expires and when it is next refreshed.
public sealed record ClaimedValue(string ValueJson, DateTime? ExpiresAt = null, DateTime? NextRefreshAt = null);
