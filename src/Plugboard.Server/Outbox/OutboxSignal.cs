using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Plugboard.Server.Outbox;

/// Tells this process's delivery worker that deliveries have just been committed, so it sends them at once instead of
/// at its next poll. Other replicas find them on their poll, as before.
public sealed class OutboxSignal
{
    public event Action? Committed;

    internal void Raise() => Committed?.Invoke();
}

/// Raises <see cref="OutboxSignal"/> once the deliveries <see cref="WebhookOutbox.Add"/> put on a context are
/// committed: when the save ends, if it ran in a transaction of its own, or when the caller's transaction commits.
/// A rollback or a failed save raises nothing. The outbox marks the context itself, so other saves cost one lookup
/// (no scan of the change tracker); a mark whose save never came costs one extra pass at most.
internal sealed class OutboxCommitInterceptor(OutboxSignal signal) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private static readonly object Pending = new();
    // Static: the writer marks a context without reaching the interceptor; each context belongs to one application,
    // whose interceptor alone sees its saves and commits.
    private static readonly ConditionalWeakTable<DbContext, object> Waiting = new();

    /// Deliveries were added to <paramref name="context"/>: wake the sender once they are committed.
    public static void Expect(DbContext context) => Waiting.AddOrUpdate(context, Pending);

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Failed(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Failed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Saved(DbContext? context)
    {
        if (context is { Database.CurrentTransaction: null })
        {
            Committed(context);
        }
    }

    private static void Failed(DbContext? context)
    {
        if (context is { Database.CurrentTransaction: null })
        {
            Forget(context);
        }
    }

    private void Committed(DbContext? context)
    {
        if (context is not null && Waiting.Remove(context))
        {
            signal.Raise();
        }
    }

    private static void Forget(DbContext? context)
    {
        if (context is not null)
        {
            Waiting.Remove(context);
        }
    }
}
