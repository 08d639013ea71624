using Plugboard.Server.Crypto;

namespace Plugboard.Server.OAuth;

public static class OAuthAppSecrets
{
    public const string Field = "client_secret";

    public static SecretContext Context(OAuthApp app) => new(app.PlatformId, app.Id, Field);
}
