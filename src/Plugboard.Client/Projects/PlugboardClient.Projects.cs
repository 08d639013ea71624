namespace Plugboard.Client;

public sealed partial class PlugboardClient
{
    /// <summary>Projects (one per customer of the SaaS) and their members.</summary>
    public ProjectsClient Projects => field ??= new(_transport);
}
