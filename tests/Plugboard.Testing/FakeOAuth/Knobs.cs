namespace Plugboard.Testing.FakeOAuth;

/// Behaviour switches a test may flip while requests are in flight; each is read once per request.
internal sealed class Knobs
{
    private volatile bool _rotateRefreshTokens = true;
    private volatile bool _omitRefreshTokenOnRefresh;
    private volatile bool _omitExpiresIn;
    private volatile int _expiresInSeconds = 3600;
    private long _responseDelayTicks;

    public bool RotateRefreshTokens { get => _rotateRefreshTokens; set => _rotateRefreshTokens = value; }

    public bool OmitRefreshTokenOnRefresh { get => _omitRefreshTokenOnRefresh; set => _omitRefreshTokenOnRefresh = value; }

    public bool OmitExpiresIn { get => _omitExpiresIn; set => _omitExpiresIn = value; }

    public int ExpiresInSeconds { get => _expiresInSeconds; set => _expiresInSeconds = value; }

    public TimeSpan ResponseDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _responseDelayTicks));
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            Interlocked.Exchange(ref _responseDelayTicks, value.Ticks);
        }
    }

    public int? ExpiresInForResponse => OmitExpiresIn ? null : ExpiresInSeconds;
}
