namespace Plugboard.Server.OAuth;

/// When a token expires and when the refresher next acts on it. A token without expires_in is assumed
/// to live the provider's default lifetime (1 h when none), so no token is "never expired"
/// (the reference's issue #14680).
public sealed record TokenSchedule(DateTime ExpiresAt, DateTime NextRefreshAt)
{
    public static TokenSchedule For(OAuthValue value, OAuthProvider provider, DateTime now, RefreshOptions options)
    {
        var lifetime = TimeSpan.FromSeconds(Math.Max(0, value.ExpiresIn ?? provider.LifetimeSeconds));
        var claimedAt = value.ClaimedAt is { } seconds ? DateTime.UnixEpoch.AddSeconds(seconds) : now;
        var expiresAt = Truncate(claimedAt + lifetime);
        if (!value.CanRenew)
        {
            // Nothing to renew with: the refresher's only job is to mark it expired, on time.
            return new TokenSchedule(expiresAt, expiresAt);
        }
        var margin = options.Margin < lifetime / 2 ? options.Margin : lifetime / 2;
        var refreshAt = expiresAt - margin;
        var keepAlive = now + options.KeepAlive;
        return new TokenSchedule(expiresAt, Truncate(refreshAt < keepAlive ? refreshAt : keepAlive));
    }

    /// Microsecond precision, as stored, so a value read back compares equal.
    private static DateTime Truncate(DateTime t) => new(t.Ticks - t.Ticks % 10, DateTimeKind.Utc);
}
