using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.OAuth;

namespace Plugboard.Server.Maintenance;

public sealed record RewrapReport(int Examined, int Rewrapped, int AlreadyCurrent, IReadOnlyList<string> FailedIds, IReadOnlyList<string> RetiredKeyIds);

/// Moves every stored secret to the newest key, store by store. Each secret is re-encrypted with a compare-and-swap,
/// so a concurrent write is never overwritten. Only when no secret uses an old key any more is that key's canary
/// removed. A secret that cannot be decrypted is left as it is and reported by id; its key stays required.
/// Interrupted, it loses nothing: what was moved stays moved, the rest is still readable with the old key, and a
/// second run goes on from there. Run it once every replica has restarted with the new key first, so none still
/// writes with the old one.
public static class Rewrap
{
    /// The stores every server has, before the ones its features register.
    public static IReadOnlyList<ISecretStore> BuiltIn { get; } = [new ConnectionValueStore(), new OAuthAppSecretStore(), new DefinitionSecretStore()];

    public static async Task<RewrapReport> RunAsync(PlugboardDb db, SecretProtector protector, CancellationToken ct,
        IEnumerable<ISecretStore>? stores = null, IProgress<SecretProgress>? progress = null)
    {
        var all = All(stores);
        var pass = SecretPass.Rewrap(protector, progress);
        int examined = 0, rewrapped = 0;
        foreach (var store in all)
        {
            var (storeExamined, storeRewrapped) = await store.WalkAsync(db, pass, ct);
            examined += storeExamined;
            rewrapped += storeRewrapped;
        }

        var primary = protector.Keys.Primary.Id;
        var retired = new List<string>();
        if (!await AnyOldAsync(all, db, pass.CurrentPrefix!, ct))
        {
            retired = await db.KeyCanaries.Where(k => k.KeyId != primary).Select(k => k.KeyId).ToListAsync(ct);
            await db.KeyCanaries.Where(k => k.KeyId != primary).ExecuteDeleteAsync(ct);
        }
        return new RewrapReport(examined, rewrapped, examined - rewrapped - pass.Failed.Count, pass.Failed, retired);
    }

    public static List<ISecretStore> All(IEnumerable<ISecretStore>? registered) => [.. BuiltIn, .. registered ?? []];

    private static async Task<bool> AnyOldAsync(List<ISecretStore> stores, PlugboardDb db, string prefix, CancellationToken ct)
    {
        foreach (var store in stores)
        {
            if (await store.AnyOldAsync(db, prefix, ct))
            {
                return true;
            }
        }
        return false;
    }
}
