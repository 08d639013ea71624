namespace Plugboard.Client;

public sealed partial class PlugboardClient
{
    /// <summary>Auth webhooks: endpoints the platform registers for connection events, and their deliveries (platform key).</summary>
    public WebhooksClient Webhooks => field ??= new(_transport);
}
