using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;
using Plugboard.Server.Maintenance;

namespace Plugboard.Server.Embed;

/// The Connect screen's secrets: each live popup session's token moves to the newest key (compare-and-swap on the
/// ciphertext), so an old key can be retired without breaking a popup in use; a rewrap drops expired ones first.
internal sealed class EmbedRewrap(TimeProvider time) : ISecretStore
{
    public string Name => "Connect screen sessions";

    public async Task<(int Examined, int Rewrapped)> WalkAsync(PlugboardDb db, SecretPass pass, CancellationToken ct)
    {
        if (pass.Writes)
        {
            var now = time.GetUtcNow().UtcDateTime;
            await db.EmbedSessions.Where(s => s.Expires <= now).ExecuteDeleteAsync(ct);
        }
        var sessions = await db.EmbedSessions.AsNoTracking().Select(s => new { s.Id, s.SessionToken }).ToListAsync(ct);
        var rewrapped = 0;
        foreach (var session in sessions.Where(s => pass.Pending(s.SessionToken)))
        {
            if (pass.Rewrapped(session.SessionToken, EmbedSessions.ContextOf(session.Id), session.Id) is not { } moved || !pass.Writes)
            {
                continue;
            }
            rewrapped += await db.EmbedSessions.Where(s => s.Id == session.Id && s.SessionToken == session.SessionToken)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.SessionToken, moved), ct);
        }
        pass.Report(Name, sessions.Count, sessions.Count);
        return (sessions.Count, rewrapped);
    }

    public Task<bool> AnyOldAsync(PlugboardDb db, string prefix, CancellationToken ct) =>
        db.EmbedSessions.AnyAsync(s => !s.SessionToken.StartsWith(prefix), ct);
}
