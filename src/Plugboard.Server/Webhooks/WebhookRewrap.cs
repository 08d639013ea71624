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

    public async Task<(int Examined, int Rewrapped)> WalkAsync(PlugboardDb db, SecretPass pass, CancellationToken ct)
    {
        var endpoints = await db.WebhookEndpoints.AsNoTracking().OrderBy(e => e.Id).ToListAsync(ct);
        var rewrapped = 0;
        foreach (var endpoint in endpoints.Where(e => pass.Pending(e.Secret)))
        {
            if (pass.Rewrapped(endpoint.Secret, WebhookSigning.Context(endpoint), endpoint.Id) is not { } moved || !pass.Writes)
            {
                continue;
            }
            var old = endpoint.Secret;
            rewrapped += await db.WebhookEndpoints.Where(e => e.Id == endpoint.Id && e.Secret == old)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Secret, moved), ct);
        }
        pass.Report(Name, endpoints.Count, endpoints.Count);
        return (endpoints.Count, rewrapped);
    }

    public Task<bool> AnyOldAsync(PlugboardDb db, string prefix, CancellationToken ct) =>
        db.WebhookEndpoints.AnyAsync(e => !e.Secret.StartsWith(prefix), ct);
}
