using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;
using Plugboard.Server.Maintenance;
using Plugboard.Server.Outbox;

namespace Plugboard.Server.Webhooks;

/// The webhooks' secrets: each endpoint's signing secret moves to the newest key, by compare-and-swap on the
/// ciphertext (few rows).
internal sealed class WebhookRewrap : ISecretStore
{
    public string Name => "webhook signing secrets";

    public async Task<(int Examined, int Rewrapped)> WalkAsync(PlugboardDb db, SecretPass pass, CancellationToken ct) =>
        await pass.MoveEachAsync(Name, await db.WebhookEndpoints.AsNoTracking().OrderBy(e => e.Id).ToListAsync(ct), e => e.Id, e => e.Secret,
            WebhookSigning.Context, (endpoint, moved) => db.WebhookEndpoints.Where(e => e.Id == endpoint.Id && e.Secret == endpoint.Secret)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Secret, moved), ct));

    public Task<bool> AnyOldAsync(PlugboardDb db, string prefix, CancellationToken ct) =>
        db.WebhookEndpoints.AnyAsync(e => !e.Secret.StartsWith(prefix), ct);
}
