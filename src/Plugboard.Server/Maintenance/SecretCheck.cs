using Plugboard.Server.Crypto;
using Plugboard.Server.Data;

namespace Plugboard.Server.Maintenance;

public sealed record StoreCount(string Store, int Examined);

public sealed record CheckReport(IReadOnlyList<StoreCount> Stores, IReadOnlyList<string> FailedIds)
{
    public int Examined => Stores.Sum(s => s.Examined);
}

/// Opens every stored secret of every store with the key ring and writes nothing: what `server check` runs.
public static class SecretCheck
{
    public static async Task<CheckReport> RunAsync(PlugboardDb db, SecretProtector protector, IEnumerable<ISecretStore>? stores, IProgress<SecretProgress>? progress,
        CancellationToken ct)
    {
        var pass = SecretPass.Check(protector, progress);
        var counts = new List<StoreCount>();
        foreach (var store in Rewrap.All(stores))
        {
            var (examined, _) = await store.WalkAsync(db, pass, ct);
            counts.Add(new StoreCount(store.Name, examined));
        }
        return new CheckReport(counts, pass.Failed);
    }
}
