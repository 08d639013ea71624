using Plugboard.Server.Crypto;

namespace Plugboard.Server.Maintenance;

public sealed record SecretProgress(string Store, int Done, int Total);

/// One walk over the stored secrets. A rewrap pass moves each secret not under the newest key and writes it back by
/// compare-and-swap; a check pass opens every secret and writes nothing. Either way a secret the key ring cannot open
/// is listed by id and left as it is.
public sealed class SecretPass
{
    private readonly IProgress<SecretProgress>? _progress;

    private SecretPass(SecretProtector protector, string? currentPrefix, IProgress<SecretProgress>? progress)
    {
        Protector = protector;
        CurrentPrefix = currentPrefix;
        _progress = progress;
    }

    public static SecretPass Rewrap(SecretProtector protector, IProgress<SecretProgress>? progress = null) =>
        new(protector, protector.PrimaryPrefix, progress);

    public static SecretPass Check(SecretProtector protector, IProgress<SecretProgress>? progress = null) => new(protector, null, progress);

    public SecretProtector Protector { get; }

    /// The newest key's prefix on a rewrap pass; null on a check pass, where every secret is opened.
    public string? CurrentPrefix { get; }

    public bool Writes => CurrentPrefix is not null;

    public List<string> Failed { get; } = [];

    /// Whether this pass must open the secret: on a rewrap, one not under the newest key; on a check, every one.
    public bool Pending(string ciphertext) => CurrentPrefix is null || !ciphertext.StartsWith(CurrentPrefix, StringComparison.Ordinal);

    /// The secret as it is to be stored (a rewrap: under the newest key; a check: as it is, since nothing is written),
    /// or null (and <paramref name="id"/> listed) when the key ring cannot open it.
    public string? Rewrapped(string ciphertext, SecretContext context, string id)
    {
        var moved = Writes ? Protector.TryRewrap(ciphertext, context) : Protector.TryUnprotect(ciphertext, context) is null ? null : ciphertext;
        if (moved is null)
        {
            Failed.Add(id);
        }
        return moved;
    }

    /// The usual small store: a few rows with one secret each, each moved by <paramref name="swap"/> (a compare-and-swap
    /// on the old ciphertext, giving the rows it changed), then reported done as one step.
    public async Task<(int Examined, int Rewrapped)> MoveEachAsync<TRow>(string store, IReadOnlyList<TRow> rows, Func<TRow, string> id,
        Func<TRow, string> secret, Func<TRow, SecretContext> context, Func<TRow, string, Task<int>> swap)
    {
        var rewrapped = 0;
        foreach (var row in rows.Where(r => Pending(secret(r))))
        {
            if (Rewrapped(secret(row), context(row), id(row)) is { } moved && Writes)
            {
                rewrapped += await swap(row, moved);
            }
        }
        Report(store, rows.Count, rows.Count);
        return (rows.Count, rewrapped);
    }

    public void Report(string store, int done, int total) => _progress?.Report(new SecretProgress(store, done, Math.Max(done, total)));
}
