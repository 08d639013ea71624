namespace Plugboard.Client;

public sealed partial class PlugboardClient
{
    /// <summary>Platforms, the operator's routes: use a client with the operator key, <c>client.WithKey(operatorKey)</c>.</summary>
    public PlatformsClient Platforms => field ??= new(_transport);

    /// <summary>The platform's users: its owner and the embedded users managed authentication created (platform key).</summary>
    public UsersClient Users => field ??= new(_transport);
}
