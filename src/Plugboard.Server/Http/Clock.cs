namespace Plugboard.Server.Http;

public static class Clock
{
    /// Timestamps are kept at microsecond precision, the finest PostgreSQL stores, so a value
    /// read back equals the one written and keyset cursors compare exactly on both engines.
    public static DateTime UtcNow(this TimeProvider time)
    {
        var ticks = time.GetUtcNow().UtcTicks;
        return new DateTime(ticks - ticks % 10, DateTimeKind.Utc);
    }
}
