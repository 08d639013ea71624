namespace Plugboard.Client;

public sealed partial class PlugboardClient
{
    /// <summary>Connection definitions: how the platform offers a piece's connection (whose credentials, which global
    /// values every connection inherits, the test credential).</summary>
    public ConnectionDefinitionsClient ConnectionDefinitions => field ??= new(_transport);
}
