using Microsoft.Extensions.Time.Testing;
using Plugboard.Server.Engine;

namespace Plugboard.Server.Tests.Engine;

/// A validated engine token is remembered until it expires, and no longer.
public sealed class ValidatedTokensTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Remembered_UntilItExpires_ThenForgotten()
    {
        var tokens = new ValidatedTokens(_clock);
        var caller = new EngineCaller("platform", "project", "jti-1");

        tokens.Remember("token-a", caller, _clock.GetUtcNow().AddSeconds(60));

        Assert.Equal(caller, tokens.Find("token-a"));
        Assert.Null(tokens.Find("token-b"));
        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(caller, tokens.Find("token-a"));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(tokens.Find("token-a"));
    }
}
