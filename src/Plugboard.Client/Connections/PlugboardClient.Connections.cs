namespace Plugboard.Client;

public sealed partial class PlugboardClient
{
    /// <summary>A project's connections, and the global ones it sees.</summary>
    public AppConnectionsClient AppConnections => field ??= new(_transport);

    /// <summary>Global connections, shared across projects (platform key).</summary>
    public GlobalConnectionsClient GlobalConnections => field ??= new(_transport);
}
