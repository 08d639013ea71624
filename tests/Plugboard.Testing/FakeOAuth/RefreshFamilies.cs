using System.Collections.Concurrent;

namespace Plugboard.Testing.FakeOAuth;

/// Refresh-token families: each holds one current token; every token ever issued still maps to its
/// family so a reused one is told apart from an unknown one (and shows up in TokenCall.FamilyId).
internal sealed class RefreshFamilies
{
    private readonly ConcurrentDictionary<string, RefreshFamily> _byToken = new(StringComparer.Ordinal);
    private long _lastFamilyNumber;
    private int _revocationEpoch;

    public RefreshFamily Create(string clientId, string? scope)
    {
        var id = $"fam_{Interlocked.Increment(ref _lastFamilyNumber)}";
        var family = new RefreshFamily(id, clientId, scope, Volatile.Read(ref _revocationEpoch), RandomTokens.RefreshToken());
        _byToken[family.CurrentToken] = family;
        return family;
    }

    public RefreshFamily? Find(string? refreshToken) =>
        refreshToken is not null && _byToken.TryGetValue(refreshToken, out var family) ? family : null;

    // Families remember the epoch they were born in, so revoking everything is one increment, not a sweep.
    public void RevokeAll() => Interlocked.Increment(ref _revocationEpoch);

    /// Returns the refresh token the family holds afterwards: a new one when rotating, else the same.
    public RefreshOutcome Refresh(string? refreshToken, string clientId, bool rotate)
    {
        if (Find(refreshToken) is not { } family)
        {
            return RefreshOutcome.Failed(null, "unknown refresh token");
        }
        if (family.ClientId != clientId)
        {
            return RefreshOutcome.Failed(family, "refresh token was issued to another client");
        }
        if (family.RevocationEpoch != Volatile.Read(ref _revocationEpoch))
        {
            return RefreshOutcome.Failed(family, "refresh token revoked");
        }
        if (!rotate)
        {
            return family.CurrentToken == refreshToken
                ? new RefreshOutcome(family, refreshToken, null)
                : RefreshOutcome.Failed(family, "refresh token already used");
        }
        var next = RandomTokens.RefreshToken();
        if (!family.TryRotate(refreshToken!, next))
        {
            return RefreshOutcome.Failed(family, "refresh token already used");
        }
        _byToken[next] = family;
        return new RefreshOutcome(family, next, null);
    }
}

internal sealed class RefreshFamily(string id, string clientId, string? scope, int revocationEpoch, string firstToken)
{
    private string _currentToken = firstToken;

    public string Id { get; } = id;
    public string ClientId { get; } = clientId;
    public string? Scope { get; } = scope;
    public int RevocationEpoch { get; } = revocationEpoch;

    public string CurrentToken => Volatile.Read(ref _currentToken);

    /// Compare-and-swap, so of two racing refreshes with the same token exactly one rotates. The swap
    /// compares references, so it is made against the instance read here, not the caller's equal copy.
    public bool TryRotate(string used, string next)
    {
        var current = CurrentToken;
        return current == used && ReferenceEquals(Interlocked.CompareExchange(ref _currentToken, next, current), current);
    }
}

internal readonly record struct RefreshOutcome(RefreshFamily? Family, string? RefreshToken, string? Failure)
{
    public static RefreshOutcome Failed(RefreshFamily? family, string description) => new(family, null, description);
}
