using Plugboard.Server.Crypto;

namespace Plugboard.Server.Connections;

public static class ConnectionSecrets
{
    public const string ValueField = "value";

    /// The value's ciphertext is bound to its platform and its row.
    public static SecretContext ValueContext(string platformId, string connectionId) => new(platformId, connectionId, ValueField);
}
