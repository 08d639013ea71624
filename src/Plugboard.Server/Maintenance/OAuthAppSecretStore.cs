using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;
using Plugboard.Server.OAuth;

namespace Plugboard.Server.Maintenance;

/// Platform OAuth apps' client secrets: few rows, each moved by compare-and-swap on its ciphertext (a concurrent
/// re-registration wrote a new secret with the newest key already: nothing to move then).
internal sealed class OAuthAppSecretStore : ISecretStore
{
    public string Name => "OAuth app secrets";

    public async Task<(int Examined, int Rewrapped)> WalkAsync(PlugboardDb db, SecretPass pass, CancellationToken ct) =>
        await pass.MoveEachAsync(Name, await db.OAuthApps.AsNoTracking().OrderBy(a => a.Id).ToListAsync(ct), a => a.Id, a => a.ClientSecret,
            OAuthAppSecrets.Context, (app, moved) => db.OAuthApps.Where(a => a.Id == app.Id && a.ClientSecret == app.ClientSecret)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.ClientSecret, moved), ct));

    public Task<bool> AnyOldAsync(PlugboardDb db, string prefix, CancellationToken ct) => db.OAuthApps.AnyAsync(a => !a.ClientSecret.StartsWith(prefix), ct);
}
