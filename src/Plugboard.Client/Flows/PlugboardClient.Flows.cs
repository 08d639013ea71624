namespace Plugboard.Client;

public sealed partial class PlugboardClient
{
    /// <summary>A project's flows and the connections their steps use.</summary>
    public FlowsClient Flows => field ??= new(_transport);
}
