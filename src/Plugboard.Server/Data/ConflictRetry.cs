using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Plugboard.Server.Data;

/// Runs a unit of work again, from its first read and on a fresh change tracker, when it lost a race to a
/// concurrent writer: a unique index, a version check, a serialization failure or a deadlock. Requests that
/// replace state (rather than build on a version the client read) reach the same final state when rerun, so the
/// client sees a success, not a 500. Each rerun re-checks everything, including "not found" and "taken".
public static class ConflictRetry
{
    private const int MaxAttempts = 8;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// `whenExhausted` answers after the last attempt also lost (a 409 that says to retry).
    public static async Task<T> RetryOnConflictAsync<T>(this PlugboardDb db, Func<Task<T>> unitOfWork, Func<T> whenExhausted, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await unitOfWork();
            }
            catch (Exception e) when (IsLostRace(e))
            {
                db.ChangeTracker.Clear();
                if (attempt == MaxAttempts)
                {
                    return whenExhausted();
                }
                // Jittered and growing, so the losers of one round do not all meet again in the next. Real time on
                // purpose, not the app's TimeProvider: a back-off on contention must pass even where a test holds the clock.
                await Task.Delay(Random.Shared.Next(1, 5 << attempt), ct);
            }
        }
    }

    public static bool IsLostRace(Exception e) => e switch
    {
        DbUpdateConcurrencyException => true,
        DbUpdateException update => update.InnerException is { } inner && IsTransient(inner),
        _ => IsTransient(e) || (e.InnerException is { } cause && IsTransient(cause)),
    };

    private static bool IsTransient(Exception e) => DbErrors.IsUniqueViolation(e) || e switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        SqliteException sqlite => sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked,
        _ => false,
    };
}
