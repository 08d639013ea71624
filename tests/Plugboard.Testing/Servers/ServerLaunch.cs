namespace Plugboard.Testing.Servers;

/// How to start one server process: its settings (environment variables) and, unless given, Plugboard.Server
/// from <see cref="ServerDll"/> on a free loopback port in the DLL's folder with the tests' log levels.
public sealed record ServerLaunch(string Name, IReadOnlyDictionary<string, string> Settings)
{
    public string? Dll { get; init; }
    public Uri? BaseAddress { get; init; }
    public string? WorkingDirectory { get; init; }
    /// Verbs after the dll, such as `rewrap`.
    public IReadOnlyList<string> Arguments { get; init; } = [];
    /// Logging__* variables; empty leaves the server's own defaults.
    public IReadOnlyDictionary<string, string> Logging { get; init; } = ServerProcess.TestLogging;
}
