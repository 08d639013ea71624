using Plugboard.Server.Data;

namespace Plugboard.Server.Maintenance;

/// A kind of stored secret, walked by rewrap (each moved to the newest key) and by check (each opened, nothing written).
/// Connection values, OAuth app secrets and definition values are built in; features above this folder (the console,
/// the Connect screen, webhooks) register theirs in the container.
public interface ISecretStore
{
    /// What the progress lines call it: "connection values".
    string Name { get; }

    Task<(int Examined, int Rewrapped)> WalkAsync(PlugboardDb db, SecretPass pass, CancellationToken ct);

    /// Whether any of its secrets still uses a key other than the one <paramref name="prefix"/> names (the old keys
    /// stay required while one does).
    Task<bool> AnyOldAsync(PlugboardDb db, string prefix, CancellationToken ct);
}
