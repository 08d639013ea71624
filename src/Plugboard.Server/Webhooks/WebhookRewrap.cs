using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Maintenance;
using Plugboard.Server.Outbox;

namespace Plugboard.Server.Webhooks;

/// Rewrap's share of the webhooks: each endpoint's signing secret moves to the newest key, by compare-and-swap on the
/// ciphertext (few rows).
internal sealed class WebhookRewrap : IRewrapStep
{
    public async Task<(int Examined, int Rewrapped)> MoveAsync(PlugboardDb db, SecretProtector protector, string prefix, List<string> failed, CancellationToken ct)
    {
        var endpoints = await db.WebhookEndpoints.AsNoTracking().OrderBy(e => e.Id).ToListAsync(ct);
        var rewrapped = 0;
        foreach (var endpoint in endpoints.Where(e => !e.Secret.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var context = WebhookSigning.Context(endpoint);
            if (protector.TryRewrap(endpoint.Secret, context) is not { } moved)
            {
                failed.Add(endpoint.Id);
                continue;
            }
            var old = endpoint.Secret;
            rewrapped += await db.WebhookEndpoints.Where(e => e.Id == endpoint.Id && e.Secret == old)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Secret, moved), ct);
        }
        return (endpoints.Count, rewrapped);
    }

    public Task<bool> AnyOldAsync(PlugboardDb db, string prefix, CancellationToken ct) =>
        db.WebhookEndpoints.AnyAsync(e => !e.Secret.StartsWith(prefix), ct);
}
