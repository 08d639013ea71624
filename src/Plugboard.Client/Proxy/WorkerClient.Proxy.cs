namespace Plugboard.Client;

public sealed partial class WorkerClient
{
    /// <summary>The authenticated proxy with the engine token: calls to the project's connections' APIs.</summary>
    public WorkerProxyClient Proxy => field ??= new(_api);
}
