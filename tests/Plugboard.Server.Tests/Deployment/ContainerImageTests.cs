using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Plugboard.Server.Crypto;
using Plugboard.Server.Platform;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Server.Tests.Startup;
using Plugboard.Testing.Servers;

namespace Plugboard.Server.Tests.Deployment;

/// What the Dockerfile promises, checked without a Docker engine (none runs here): its build stage copies every
/// project the server is built from, and the server run with the image's environment writes nothing outside its data
/// directory (so `docker run --read-only --tmpfs /tmp` holds).
public sealed partial class ContainerImageTests
{
    private static readonly string Root = ServerDll.RepositoryRoot();

    [Fact]
    public void Dockerfile_BuildStage_CopiesEveryProjectAndPropsFileTheServerIsBuiltFrom()
    {
        var copied = CopySources(File.ReadAllText(Path.Combine(Root, "Dockerfile")));
        var projects = ProjectClosure(Path.Combine(Root, "src", "Plugboard.Server", "Plugboard.Server.csproj"));

        Assert.Contains("src/Plugboard.Client/Plugboard.Client.csproj", projects);
        foreach (var project in projects)
        {
            Assert.Contains(project, copied);
            Assert.Contains(Path.GetDirectoryName(project)!.Replace('\\', '/') + "/", copied);
        }
        foreach (var shared in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props" })
        {
            Assert.True(File.Exists(Path.Combine(Root, shared)), shared);
            Assert.Contains(shared, copied);
        }
    }

    [Fact]
    public async Task Server_RunWithTheImagesEnvironment_WritesOnlyItsDataDirectory()
    {
        var sandbox = Directory.CreateTempSubdirectory("plugboard-image-");
        var (app, data, home) = (Path.Combine(sandbox.FullName, "app"), Path.Combine(sandbox.FullName, "data"), Path.Combine(sandbox.FullName, "home"));
        CopyDirectory(ServerDll.OwnOutput(), app);
        Directory.CreateDirectory(data);
        Directory.CreateDirectory(home);
        var before = Snapshot(app);

        var settings = ImageEnvironment(File.ReadAllText(Path.Combine(Root, "Dockerfile")));
        Assert.Equal("/data", settings["PLUGBOARD_DATA_DIR"]);
        Assert.Equal("/tmp", settings["HOME"]);
        settings["PLUGBOARD_DATA_DIR"] = data;
        settings["HOME"] = home;
        settings[KeyRingLoader.EnvironmentVariable] = TestKey.New().Base64;
        settings[PlatformBootstrap.AdminKeyVariable] = TestApp.AdminKey;
        var server = await ServerProcess.StartAsync(new ServerLaunch("image", settings)
        {
            Dll = Path.Combine(app, "Plugboard.Server.dll"),
            WorkingDirectory = app,
            Logging = new Dictionary<string, string>(),
        });
        await using (server)
        {
            using var admin = server.Client(TestApp.AdminKey);
            var projectId = await admin.CreateProjectAsync();
            (await admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, "ext_image", "xoxb-image"))).AssertStatus(HttpStatusCode.Created);
            // The console's antiforgery creates the Data Protection key ring: it must land in the database, not in HOME.
            using var console = new HttpClient { BaseAddress = server.BaseAddress };
            Assert.Equal(HttpStatusCode.OK, (await console.GetAsync("/console/sign-in")).StatusCode);
            server.Terminate();
            Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }

        Assert.Equal(before, Snapshot(app));
        Assert.Empty(Directory.EnumerateFileSystemEntries(home, "*", SearchOption.AllDirectories));
        Assert.NotEmpty(Directory.EnumerateFiles(data));
        sandbox.Delete(recursive: true);
    }

    /// The sources of every COPY in the build stage (before the first `FROM … AS runtime`), flags left out.
    private static HashSet<string> CopySources(string dockerfile)
    {
        var build = dockerfile[..dockerfile.IndexOf("AS runtime", StringComparison.Ordinal)];
        return build.Split('\n')
            .Where(l => l.StartsWith("COPY ", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1])
            .Where(a => !a.StartsWith("--", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// The project and every project it references, transitively, as paths from the repository root.
    private static HashSet<string> ProjectClosure(string project)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.TryPop(out var next))
        {
            if (!found.Add(Path.GetRelativePath(Root, next).Replace('\\', '/')))
            {
                continue;
            }
            foreach (var reference in XDocument.Load(next).Descendants("ProjectReference"))
            {
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(next)!, reference.Attribute("Include")!.Value)));
            }
        }
        return found;
    }

    /// The runtime stage's ENV instruction, continuation lines joined: NAME=value pairs.
    private static Dictionary<string, string> ImageEnvironment(string dockerfile)
    {
        var runtime = dockerfile[dockerfile.IndexOf("AS runtime", StringComparison.Ordinal)..].Replace("\\\n", " ", StringComparison.Ordinal);
        var env = runtime.Split('\n').Single(l => l.StartsWith("ENV ", StringComparison.Ordinal));
        return EnvPair().Matches(env).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
    }

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)=(\S+)")]
    private static partial Regex EnvPair();

    private static string Snapshot(string directory) => string.Join('\n', new DirectoryInfo(directory)
        .EnumerateFileSystemInfos("*", SearchOption.AllDirectories)
        .Select(f => $"{Path.GetRelativePath(directory, f.FullName)} {(f as FileInfo)?.Length} {f.LastWriteTimeUtc:O}")
        .Order(StringComparer.Ordinal));

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
