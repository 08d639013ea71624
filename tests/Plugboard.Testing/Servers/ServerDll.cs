namespace Plugboard.Testing.Servers;

/// Where a web project's build output is, so `dotnet` can run it: beside the running assembly (a project
/// reference copies it there with its runtimeconfig and deps), else the project's own build output in the
/// same configuration and framework, found from the repository root (Plugboard.slnx).
public static class ServerDll
{
    public const string Server = "src/Plugboard.Server";

    /// <paramref name="project"/>: the project's folder from the repository root; the DLL is named after its last part.
    public static string Locate(string project = Server)
    {
        var name = Path.GetFileName(project) + ".dll";
        var beside = Path.Combine(AppContext.BaseDirectory, name);
        if (IsRunnable(beside))
        {
            return beside;
        }
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (framework, configuration) = (output.Name, output.Parent?.Name ?? "Release");
        for (var dir = output; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Plugboard.slnx")))
            {
                var dll = Path.Combine(dir.FullName, project, "bin", configuration, framework, name);
                return IsRunnable(dll)
                    ? dll
                    : throw new ServerNotBuiltException($"{project} is not built: {dll} (with its .runtimeconfig.json and .deps.json) is missing; build the solution in {configuration}.");
            }
        }
        throw new ServerNotBuiltException($"Cannot find {name} beside {AppContext.BaseDirectory} nor the repository root (Plugboard.slnx) above it.");
    }

    public static bool IsRunnable(string dll) =>
        File.Exists(dll) && File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")) && File.Exists(Path.ChangeExtension(dll, ".deps.json"));
}

public sealed class ServerNotBuiltException(string message) : Exception(message);
