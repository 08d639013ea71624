namespace Plugboard.Client;

public sealed partial class PlugboardClient
{
    /// <summary>The platform's own OAuth2 apps, used by PLATFORM_OAUTH2 connections (platform key).</summary>
    public OAuthAppsClient OAuthApps => field ??= new(_transport);

    /// <summary>The OAuth2 provider catalogue: the built-in entries and the platform's own (platform key).</summary>
    public OAuthProvidersClient OAuthProviders => field ??= new(_transport);
}
