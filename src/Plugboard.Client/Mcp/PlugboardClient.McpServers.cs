namespace Plugboard.Client;

public sealed partial class PlugboardClient
{
    /// <summary>A project's MCP servers: the tools an AI agent may call, and the token it presents.</summary>
    public McpServersClient McpServers => field ??= new(_transport);
}
