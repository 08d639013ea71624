using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Maintenance;

namespace Plugboard.Server.Embed;

/// Rewrap's share of the Connect screen: each live popup session's token moves to the newest key (compare-and-swap on
/// the ciphertext), expired ones are dropped, so an old key can be retired without breaking a popup in use.
internal sealed class EmbedRewrap(TimeProvider time) : IRewrapStep
{
    public async Task<(int Examined, int Rewrapped)> MoveAsync(PlugboardDb db, SecretProtector protector, string prefix, List<string> failed, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await db.EmbedSessions.Where(s => s.Expires <= now).ExecuteDeleteAsync(ct);
        var sessions = await db.EmbedSessions.AsNoTracking().Select(s => new { s.Id, s.SessionToken }).ToListAsync(ct);
        var rewrapped = 0;
        foreach (var session in sessions.Where(s => !s.SessionToken.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var context = EmbedSessions.ContextOf(session.Id);
            if (protector.TryRewrap(session.SessionToken, context) is not { } moved)
            {
                failed.Add(session.Id);
                continue;
            }
            rewrapped += await db.EmbedSessions.Where(s => s.Id == session.Id && s.SessionToken == session.SessionToken)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.SessionToken, moved), ct);
        }
        return (sessions.Count, rewrapped);
    }

    public Task<bool> AnyOldAsync(PlugboardDb db, string prefix, CancellationToken ct) =>
        db.EmbedSessions.AnyAsync(s => !s.SessionToken.StartsWith(prefix), ct);
}
