namespace Plugboard.Client;

public sealed partial class PlugboardClient
{
    /// <summary>The platform's audit trail (platform key).</summary>
    public AuditEventsClient AuditEvents => field ??= new(_transport);
}
