using Plugboard.Testing.Servers;

namespace Plugboard.Bench;

/// The bench's server processes: the given build output with the server's console format at warning level,
/// plus one short debug line per stored refresh, so the report can say which replica did how many.
internal static class BenchLaunch
{
    private static readonly Dictionary<string, string> BenchLogging = new()
    {
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Plugboard.Server.OAuth.LeasedRefresh"] = "Debug",
    };

    public static Task<ServerProcess> StartAsync(string name, string dll, IReadOnlyDictionary<string, string> settings, CancellationToken ct) =>
        ServerProcess.StartAsync(new ServerLaunch(name, settings) { Dll = dll, Logging = BenchLogging }, ct);

    /// Where a host's build output is: given, or in the repository in the bench's configuration.
    public static string LocateDll(string? given, string project = ServerDll.Server)
    {
        if (given is not null)
        {
            return File.Exists(given) ? Path.GetFullPath(given) : throw new UsageException($"--server: {given} does not exist");
        }
        try
        {
            return ServerDll.Locate(project);
        }
        catch (ServerNotBuiltException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
