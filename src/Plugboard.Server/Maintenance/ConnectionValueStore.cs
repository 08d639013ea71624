using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Data;

namespace Plugboard.Server.Maintenance;

/// Connection values, the bulk of the secrets: read in batches by keyset on the id, each moved by compare-and-swap on
/// its value and version, so a concurrent write is never overwritten (that row is read again). The version is left as
/// it is: the secret did not change, only its wrapping.
internal sealed class ConnectionValueStore : ISecretStore
{
    private const int BatchSize = 200;

    public string Name => "connection values";

    public async Task<(int Examined, int Rewrapped)> WalkAsync(PlugboardDb db, SecretPass pass, CancellationToken ct)
    {
        var total = await db.AppConnections.CountAsync(ct);
        int examined = 0, rewrapped = 0;
        var lastId = "";
        pass.Report(Name, 0, total);
        while (true)
        {
            var batch = await db.AppConnections.AsNoTracking()
                .Where(c => string.Compare(c.Id, lastId) > 0)
                .OrderBy(c => c.Id)
                .Select(c => new { c.Id, c.PlatformId, c.Value, c.Version })
                .Take(BatchSize)
                .ToListAsync(ct);
            if (batch.Count == 0)
            {
                return (examined, rewrapped);
            }
            foreach (var row in batch)
            {
                examined++;
                if (await MoveAsync(db, pass, row.Id, row.PlatformId, row.Value, row.Version, ct))
                {
                    rewrapped++;
                }
            }
            lastId = batch[^1].Id;
            pass.Report(Name, examined, total);
        }
    }

    public Task<bool> AnyOldAsync(PlugboardDb db, string prefix, CancellationToken ct) => db.AppConnections.AnyAsync(c => !c.Value.StartsWith(prefix), ct);

    private static async Task<bool> MoveAsync(PlugboardDb db, SecretPass pass, string id, string platformId, string value, long version, CancellationToken ct)
    {
        var context = ConnectionSecrets.ValueContext(platformId, id);
        while (pass.Pending(value))
        {
            if (pass.Rewrapped(value, context, id) is not { } moved || !pass.Writes)
            {
                return false;
            }
            var updated = await db.AppConnections
                .Where(c => c.Id == id && c.Version == version && c.Value == value)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Value, moved), ct);
            if (updated == 1)
            {
                return true;
            }
            var current = await db.AppConnections.AsNoTracking().Where(c => c.Id == id).Select(c => new { c.Value, c.Version }).FirstOrDefaultAsync(ct);
            if (current is null)
            {
                return false;
            }
            (value, version) = (current.Value, current.Version);
        }
        return false;
    }
}
