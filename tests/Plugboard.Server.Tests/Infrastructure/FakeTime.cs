namespace Plugboard.Server.Tests.Infrastructure;

/// A clock tests move by hand: "an hour later" without waiting an hour. Starts at the real now, so
/// tokens the fake provider issues and the server's idea of now agree.
public sealed class FakeTime : TimeProvider
{
    private long _utcTicks = DateTimeOffset.UtcNow.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _utcTicks, by.Ticks);

    public long UnixSeconds => GetUtcNow().ToUnixTimeSeconds();
}
