using System.Security.Cryptography;
using Plugboard.Testing.Servers;

namespace Plugboard.Console.Tests.Infrastructure;

/// samples/EmbedHost as a real process on its own loopback port: the SaaS page with the "Connect Gelato" button, its
/// backend signing tokens with <paramref name="key"/> for one user in one project with one role.
public static class EmbedHostProcess
{
    public const string Project = "samples/EmbedHost";
    private const string Dll = "Plugboard.Samples.EmbedHost.dll";

    public static Task<ServerProcess> StartAsync(
        ConsoleServer server, string kid, RSA key, string externalProjectId, string externalUserId, string role, string connectionName) =>
        ServerProcess.StartAsync(new ServerLaunch("embed-host-" + role.ToLowerInvariant(), new Dictionary<string, string>
        {
            ["PLUGBOARD_URL"] = server.BaseAddress.ToString(),
            ["EMBED_SIGNING_KEY_ID"] = kid,
            ["EMBED_PRIVATE_KEY_PEM"] = key.ExportPkcs8PrivateKeyPem(),
            ["EMBED_PROJECT"] = externalProjectId,
            ["EMBED_USER"] = externalUserId,
            ["EMBED_ROLE"] = role,
            ["EMBED_CONNECTION_NAME"] = connectionName,
        })
        { Dll = Locate() });

    /// The sample's build output in the test run's configuration and framework, from the repository root.
    private static string Locate()
    {
        var dll = Path.Combine(ServerDll.OwnOutput(Project), Dll);
        return ServerDll.IsRunnable(dll) ? dll : throw new ServerNotBuiltException($"{Project} is not built: {dll} is missing.");
    }
}
