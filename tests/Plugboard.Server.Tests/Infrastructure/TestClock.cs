using Microsoft.Extensions.Time.Testing;

namespace Plugboard.Server.Tests.Infrastructure;

public static class TestClock
{
    /// A clock tests move by hand: "an hour later" without waiting an hour, and the server's timers (the refresh
    /// worker's ticks, back-offs, the audit flush) fire only when it is moved. Starts at the real now, so tokens
    /// the fake provider issues and the server's idea of now agree.
    public static FakeTimeProvider StartingNow() => new(DateTimeOffset.UtcNow);

    extension(TimeProvider time)
    {
        public long UnixSeconds => time.GetUtcNow().ToUnixTimeSeconds();
    }
}
