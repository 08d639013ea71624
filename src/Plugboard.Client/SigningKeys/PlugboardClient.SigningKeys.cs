namespace Plugboard.Client;

public sealed partial class PlugboardClient
{
    /// <summary>The keys the SaaS signs its users' external tokens with, for <see cref="ManagedAuthn"/> (platform key).</summary>
    public SigningKeysClient SigningKeys => field ??= new(_transport);
}
