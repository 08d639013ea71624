namespace Plugboard.Client;

public sealed partial class PlugboardClient
{
    /// <summary>Sync: a platform's set-up exported from one instance and imported into another (platform key).</summary>
    public SyncClient Sync => field ??= new(_transport);
}
