using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Plugboard.Server.Data;

/// A counter this process moves on every write it makes to the database: any statement that is not a plain
/// SELECT, and every commit. A cache takes the counter before it reads and keeps what it read only while the
/// counter stays put, so nothing this process writes can be answered from a cache afterwards. Writes by other
/// processes (other replicas) it cannot see: a cache bounds those by its own time to live.
public sealed class DataChanges
{
    private long _generation;

    public long Generation => Interlocked.Read(ref _generation);

    public void Moved() => Interlocked.Increment(ref _generation);
}

/// Moves <see cref="DataChanges"/> after each write statement and each commit, whatever wrote it: EF's tracked
/// saves, ExecuteUpdate/ExecuteDelete and raw SQL all pass through here.
internal sealed class DataChangesInterceptor(DataChanges changes) : DbCommandInterceptor, IDbTransactionInterceptor
{
    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Observe(command);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        Observe(command);
        return ValueTask.FromResult(result);
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Observe(command);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
        CancellationToken cancellationToken = default)
    {
        Observe(command);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Observe(command);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result,
        CancellationToken cancellationToken = default)
    {
        Observe(command);
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => changes.Moved();

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        changes.Moved();
        return Task.CompletedTask;
    }

    private void Observe(DbCommand command)
    {
        if (!IsPlainSelect(command.CommandText))
        {
            changes.Moved();
        }
    }

    /// A read that cannot write: starts with SELECT and takes no lock (a FOR UPDATE / FOR SHARE belongs to a writer).
    private static bool IsPlainSelect(string sql)
    {
        var text = sql.AsSpan().TrimStart();
        return text.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) &&
            !text.Contains(" FOR UPDATE", StringComparison.OrdinalIgnoreCase) &&
            !text.Contains(" FOR SHARE", StringComparison.OrdinalIgnoreCase);
    }
}
