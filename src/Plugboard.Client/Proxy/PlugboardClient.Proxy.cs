namespace Plugboard.Client;

public sealed partial class PlugboardClient
{
    /// <summary>The authenticated proxy: a call to a connection's API with its credential injected by the server.</summary>
    public ProxyClient Proxy => field ??= new(_transport);
}
