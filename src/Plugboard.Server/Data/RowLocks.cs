using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Plugboard.Server.Data;

public enum LockedTable
{
    Projects,
    AppConnections,
    Flows,
    /// By id or stable key.
    ConnectionDefinitions,
}

/// One writer at a time per row for read-modify-write units of work, so identical requests arriving together
/// queue instead of colliding: the second one reads what the first one wrote.
public static class RowLocks
{
    /// Begins a transaction holding the write lock on the row: on SQLite the transaction is BEGIN IMMEDIATE (the
    /// database's single writer, taken at once); on PostgreSQL the row is locked with SELECT ... FOR UPDATE.
    /// A row that does not exist, or is another platform's, locks nothing; the caller's read inside the transaction
    /// then finds nothing.
    public static async Task<IDbContextTransaction> BeginLockedAsync(this PlugboardDb db, LockedTable table, string platformId, string id, CancellationToken ct)
    {
        var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!db.IsSqlite)
        {
            await db.Database.ExecuteSqlRawAsync(LockStatement(table), [id, platformId], ct);
        }
        return transaction;
    }

    /// Begins a transaction holding a lock on a key whose row may not exist yet (an upsert by a natural key):
    /// on SQLite BEGIN IMMEDIATE, on PostgreSQL a transaction-scoped advisory lock on the key's hash. A hash
    /// collision only makes two unrelated keys wait for each other.
    public static async Task<IDbContextTransaction> BeginKeyLockedAsync(this PlugboardDb db, string key, CancellationToken ct)
    {
        var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!db.IsSqlite)
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtextextended({0}, 0))", [key], ct);
        }
        return transaction;
    }

    private static string LockStatement(LockedTable table) => table switch
    {
        LockedTable.Projects => "SELECT 1 FROM projects WHERE id = {0} AND platform_id = {1} FOR UPDATE",
        LockedTable.AppConnections => "SELECT 1 FROM app_connections WHERE id = {0} AND platform_id = {1} FOR UPDATE",
        LockedTable.Flows => "SELECT 1 FROM flows WHERE id = {0} AND platform_id = {1} FOR UPDATE",
        LockedTable.ConnectionDefinitions => "SELECT 1 FROM connection_definitions WHERE (id = {0} OR stable_key = {0}) AND platform_id = {1} FOR UPDATE",
        _ => throw new ArgumentOutOfRangeException(nameof(table)),
    };
}
