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
        var dll = Path.Combine(OwnOutput(project), name);
        return IsRunnable(dll)
            ? dll
            : throw new ServerNotBuiltException($"{project} is not built: {dll} (with its .runtimeconfig.json and .deps.json) is missing; build the solution.");
    }

    /// The project's own build output (bin/&lt;configuration&gt;/&lt;framework&gt;), in the configuration and framework the tests run in.
    public static string OwnOutput(string project = Server)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (framework, configuration) = (output.Name, output.Parent?.Name ?? "Release");
        return Path.Combine(RepositoryRoot(), project, "bin", configuration, framework);
    }

    /// Where Plugboard.slnx is, above the tests' output.
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Plugboard.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new ServerNotBuiltException($"Cannot find the repository root (Plugboard.slnx) above {AppContext.BaseDirectory}.");
    }

    public static bool IsRunnable(string dll) =>
        File.Exists(dll) && File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")) && File.Exists(Path.ChangeExtension(dll, ".deps.json"));
}

public sealed class ServerNotBuiltException(string message) : Exception(message);
