using System.Text.Json;

namespace Plugboard.Cli;

/// The server and key `plugboard login` stored. The file holds an API key, so it is created 0600 in a 0700 directory
/// (written beside and moved into place, so no reader ever sees it wider or half-written).
public sealed record CliConfig(string Url, string ApiKey)
{
    private const string FileName = "config.json";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string Directory(CliHost host) =>
        host.Environment("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? Path.Combine(xdg, "plugboard")
            : Path.Combine(host.Environment("HOME") is { Length: > 0 } home ? home : System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".config", "plugboard");

    public static string PathOf(CliHost host) => Path.Combine(Directory(host), FileName);

    public static CliConfig? Load(CliHost host)
    {
        var path = PathOf(host);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<CliConfig>(File.ReadAllText(path), Json);
        }
        catch (JsonException)
        {
            throw new CliException($"{path} is not a Plugboard CLI config: run `plugboard login` again.");
        }
    }

    public void Save(CliHost host)
    {
        var directory = Directory(host);
        const UnixFileMode OwnerOnlyDir = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(directory);
            File.WriteAllText(PathOf(host), JsonSerializer.Serialize(this, Json));
            return;
        }
        System.IO.Directory.CreateDirectory(directory, OwnerOnlyDir);
        File.SetUnixFileMode(directory, OwnerOnlyDir);
        var temp = Path.Combine(directory, $".{FileName}.{Guid.NewGuid():N}");
        using (var stream = new FileStream(temp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnlyFile }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(JsonSerializer.Serialize(this, Json));
        }
        File.Move(temp, PathOf(host), overwrite: true);
    }
}
