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
        return await pass.MoveEachAsync(Name, await db.EmbedSessions.AsNoTracking().Select(s => new { s.Id, s.SessionToken }).ToListAsync(ct),
            s => s.Id, s => s.SessionToken, s => EmbedSessions.ContextOf(s.Id),
            (session, moved) => db.EmbedSessions.Where(s => s.Id == session.Id && s.SessionToken == session.SessionToken)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.SessionToken, moved), ct));
    }

    public Task<bool> AnyOldAsync(PlugboardDb db, string prefix, CancellationToken ct) =>
        db.EmbedSessions.AnyAsync(s => !s.SessionToken.StartsWith(prefix), ct);
}
