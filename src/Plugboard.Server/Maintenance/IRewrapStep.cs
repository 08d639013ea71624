using Plugboard.Server.Crypto;
using Plugboard.Server.Data;

namespace Plugboard.Server.Maintenance;

/// Secrets of a feature above this folder that rewrap moves too (the console's sessions and its Data Protection key
/// ring), registered in the container by that feature.
public interface IRewrapStep
{
    /// Moves every secret not under <paramref name="prefix"/> (the newest key's) to it; unreadable ids go to <paramref name="failed"/>.
    Task<(int Examined, int Rewrapped)> MoveAsync(PlugboardDb db, SecretProtector protector, string prefix, List<string> failed, CancellationToken ct);

    /// Whether any of its secrets still uses another key (the old keys stay required while one does).
    Task<bool> AnyOldAsync(PlugboardDb db, string prefix, CancellationToken ct);
}
