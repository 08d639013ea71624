namespace Plugboard.Client;

public sealed partial class PlugboardClient
{
    /// <summary>The platform's API keys: platform keys and project keys (platform key).</summary>
    public ApiKeysClient ApiKeys => field ??= new(_transport);
}
