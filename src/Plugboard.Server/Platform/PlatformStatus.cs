using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;

namespace Plugboard.Server.Platform;

/// Which platforms are disabled, for the credentials that authenticate without reading the database
/// (engine tokens, session tokens). The set is cached and re-read at most every <see cref="MaxAge"/>, so
/// replicas agree within a second of an operator's disable; a disable or enable on this replica applies at once.
/// API keys do not need it: their lookup joins the platform row, and what it found is kept only as <see cref="KnownApiKeys"/> allows.
public sealed class PlatformStatus(IServiceScopeFactory scopes, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile Snapshot? _snapshot;
    private long _generation;

    private sealed record Snapshot(FrozenSet<string> Disabled, DateTimeOffset LoadedAt);

    public async ValueTask<bool> IsDisabledAsync(string platformId, CancellationToken ct = default) =>
        (await CurrentAsync(ct)).Contains(platformId);

    /// Forgets the cached set: the next check reads the database. Called after this replica changes a platform.
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _snapshot = null;
    }

    private async ValueTask<FrozenSet<string>> CurrentAsync(CancellationToken ct)
    {
        var snapshot = _snapshot;
        if (IsFresh(snapshot))
        {
            return snapshot.Disabled;
        }
        // One reload at a time: the callers that find the set stale together wait for a single query.
        await _reload.WaitAsync(ct);
        try
        {
            snapshot = _snapshot;
            if (IsFresh(snapshot))
            {
                return snapshot.Disabled;
            }
            var (generation, startedAt) = (Interlocked.Read(ref _generation), time.GetUtcNow());
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PlugboardDb>();
            var disabled = await db.Platforms.AsNoTracking().Where(p => p.DisabledAt != null).Select(p => p.Id).ToListAsync(ct);
            // Stamped with the time the read started, and not kept at all when this replica changed a platform
            // meanwhile: a read that may predate that change must not hide it for the next second.
            var fresh = new Snapshot(disabled.ToFrozenSet(StringComparer.Ordinal), startedAt);
            if (Interlocked.Read(ref _generation) == generation)
            {
                _snapshot = fresh;
            }
            return fresh.Disabled;
        }
        finally
        {
            _reload.Release();
        }
    }

    /// By the injected clock (tests move it); a clock that went backwards counts as stale, never as fresh for longer.
    private bool IsFresh([NotNullWhen(true)] Snapshot? snapshot)
    {
        if (snapshot is null)
        {
            return false;
        }
        var age = time.GetUtcNow() - snapshot.LoadedAt;
        return age >= TimeSpan.Zero && age < MaxAge;
    }
}
