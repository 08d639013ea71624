using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;
using Plugboard.Server.OAuth;

namespace Plugboard.Server.Maintenance;

/// Platform OAuth apps' client secrets: few rows, each moved by compare-and-swap on its ciphertext (a concurrent
/// re-registration wrote a new secret with the newest key already: nothing to move then).
internal sealed class OAuthAppSecretStore : ISecretStore
{
    public string Name => "OAuth app secrets";

    public async Task<(int Examined, int Rewrapped)> WalkAsync(PlugboardDb db, SecretPass pass, CancellationToken ct)
    {
        var apps = await db.OAuthApps.AsNoTracking().OrderBy(a => a.Id).ToListAsync(ct);
        var rewrapped = 0;
        foreach (var app in apps.Where(a => pass.Pending(a.ClientSecret)))
        {
            if (pass.Rewrapped(app.ClientSecret, OAuthAppSecrets.Context(app), app.Id) is not { } moved || !pass.Writes)
            {
                continue;
            }
            var old = app.ClientSecret;
            rewrapped += await db.OAuthApps.Where(a => a.Id == app.Id && a.ClientSecret == old)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.ClientSecret, moved), ct);
        }
        pass.Report(Name, apps.Count, apps.Count);
        return (apps.Count, rewrapped);
    }

    public Task<bool> AnyOldAsync(PlugboardDb db, string prefix, CancellationToken ct) => db.OAuthApps.AnyAsync(a => !a.ClientSecret.StartsWith(prefix), ct);
}
