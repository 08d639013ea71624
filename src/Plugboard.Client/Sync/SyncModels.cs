using System.Text;
using System.Text.Json.Nodes;

namespace Plugboard.Client;

/// <summary>A platform's set-up as it moves between instances (dev → prod, US → EU): every item keyed by kind and
/// stable key. Secrets travel only sealed under a passphrase, never in clear text.</summary>
/// <param name="Format">The bundle format (<c>plugboard.sync/v1</c>).</param>
/// <param name="ExportedAt">When it was exported.</param>
/// <param name="Sealing">How the key that seals its secrets derives from the passphrase; null when it carries none.</param>
/// <param name="Items">The items, what each needs first.</param>
public sealed record SyncBundle(string Format, DateTimeOffset ExportedAt, SyncSealing? Sealing, IReadOnlyList<SyncItem> Items);

/// <summary>How a bundle's key derives from the passphrase.</summary>
/// <param name="Kdf">The key derivation (PBKDF2-SHA256).</param>
/// <param name="Iterations">Its iterations.</param>
/// <param name="Salt">Its salt, base64.</param>
public sealed record SyncSealing(string Kdf, int Iterations, string Salt);

/// <summary>One item of a bundle.</summary>
/// <param name="Kind">What it is: <c>piece</c>, <c>oauthProvider</c>, <c>oauthApp</c>, <c>definition</c> or <c>globalConnection</c>.</param>
/// <param name="Key">Its stable key.</param>
/// <param name="Data">What it is, without its secrets.</param>
/// <param name="Secrets">Its secrets, sealed; null when the export was not asked to seal them.</param>
public sealed record SyncItem(string Kind, string Key, JsonObject Data, SealedSecrets? Secrets = null);

/// <summary>An item's secrets, AES-256-GCM under the bundle's key and bound to the item's kind and key.</summary>
/// <param name="Nonce">The nonce, base64.</param>
/// <param name="Ciphertext">The ciphertext and tag, base64.</param>
public sealed record SealedSecrets(string Nonce, string Ciphertext);

/// <summary>What an import did or, on a dry run, would do.</summary>
/// <param name="Created">Items new here.</param>
/// <param name="Updated">Items that changed.</param>
/// <param name="Unchanged">Items already as the bundle has them.</param>
/// <param name="NeedsSecrets">Items imported without their secrets (the bundle carried none): MISSING until an import
/// with sealed secrets supplies them.</param>
/// <param name="Conflicts">Items the bundle cannot change here; an import with any is refused (409) unless a dry run.</param>
/// <param name="Deleted">Items gone from the bundle and deleted here (with <see cref="SyncImportOptions.Prune"/>).</param>
public sealed record SyncReport(
    IReadOnlyList<SyncChange> Created, IReadOnlyList<SyncChange> Updated, IReadOnlyList<SyncChange> Unchanged,
    IReadOnlyList<SyncChange> NeedsSecrets, IReadOnlyList<SyncChange> Conflicts, IReadOnlyList<SyncChange> Deleted);

/// <summary>One item of a report.</summary>
/// <param name="Kind">The item's kind.</param>
/// <param name="Key">Its stable key.</param>
/// <param name="Changes">The fields that change, or why it conflicts or needs secrets.</param>
public sealed record SyncChange(string Kind, string Key, IReadOnlyList<string> Changes);

/// <summary>How <see cref="SyncClient.ImportAsync"/> imports. <see cref="ToString"/> never shows the passphrase.</summary>
public sealed record SyncImportOptions
{
    /// <summary>Report what the import would do and change nothing.</summary>
    public bool? DryRun { get; init; }

    /// <summary>Also delete the OAuth providers and apps, definitions and global connections the bundle does not name
    /// (never pieces); one still in use here is a conflict instead.</summary>
    public bool? Prune { get; init; }

    /// <summary>The passphrase the bundle's secrets were sealed with (sent in the <c>X-Plugboard-Sync-Passphrase</c> header).</summary>
    public string? Passphrase { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("DryRun = ").Append(DryRun).Append(", Prune = ").Append(Prune);
        builder.Append(Passphrase is null ? "" : ", Passphrase = <redacted>");
        return true;
    }
}
