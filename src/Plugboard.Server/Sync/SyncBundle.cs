using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plugboard.Server.Sync;

/// What moves a platform's set-up between instances (dev → prod, US → EU): every item keyed by kind and stable key,
/// in a stable order. Secrets travel only sealed (<see cref="SyncSealing"/>), never in clear text.
public sealed record SyncBundle(string Format, DateTime ExportedAt, SyncSealing? Sealing, IReadOnlyList<SyncItem> Items)
{
    public const string CurrentFormat = "plugboard.sync/v1";
}

/// One item. `Data` is what it is, without secrets; `Secrets` its secrets sealed, when the export was asked to seal them.
public sealed record SyncItem(string Kind, string Key, JsonObject Data, SealedSecrets? Secrets = null);

/// How the bundle's key is derived from the passphrase: PBKDF2-SHA256 over a random salt.
public sealed record SyncSealing(string Kdf, int Iterations, string Salt);

/// An item's secrets as a JSON object, AES-256-GCM under the bundle's key, bound to the item's kind and key.
public sealed record SealedSecrets(string Nonce, string Ciphertext);

public static class SyncKinds
{
    public const string Piece = "piece";
    public const string OAuthProvider = "oauthProvider";
    public const string OAuthApp = "oauthApp";
    public const string Definition = "definition";
    public const string GlobalConnection = "globalConnection";

    /// The order of a bundle: what an item needs comes before it.
    public static readonly string[] Ordered = [Piece, OAuthProvider, OAuthApp, Definition, GlobalConnection];
}

/// What an import did or, on a dry run, would do: each entry the item's kind, stable key and the fields that change.
public sealed record SyncReport(
    IReadOnlyList<SyncChange> Created,
    IReadOnlyList<SyncChange> Updated,
    IReadOnlyList<SyncChange> Unchanged,
    IReadOnlyList<SyncChange> NeedsSecrets,
    IReadOnlyList<SyncChange> Conflicts,
    IReadOnlyList<SyncChange> Deleted);

public sealed record SyncChange(string Kind, string Key, IReadOnlyList<string> Changes);

internal static class SyncJson
{
    public static bool Same(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);

    public static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);

    public static JsonElement Element(JsonNode? node) => JsonSerializer.SerializeToElement(node);
}
