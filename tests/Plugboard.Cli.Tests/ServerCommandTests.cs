using Plugboard.Cli.Tests.Infrastructure;
using Plugboard.Testing.Servers;

namespace Plugboard.Cli.Tests;

/// `plugboard server migrate|check|rewrap` run the server binary's own verbs against a fresh SQLite data dir.
public sealed class ServerCommandTests
{
    [Fact]
    public async Task Server_CheckMigrateCheckRewrap_BehindThenCurrent()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "plugboard-cli-tests-server", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var env = new Dictionary<string, string>();
        string[] Args(string verb) => ["server", verb, "--server", ServerDll.Locate(), "--data-dir", dataDir, "--database", ""];

        var behind = await CliRun.RunAsync(Args("check"), null, env);
        Assert.True(behind.ExitCode == 1, behind.ToString());
        Assert.Contains("migration(s) behind", behind.Out, StringComparison.Ordinal);

        var migrate = await CliRun.RunAsync(Args("migrate"), null, env);
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        Assert.Contains("the schema is at the latest migration", migrate.Out, StringComparison.Ordinal);

        var check = await CliRun.RunAsync(Args("check"), null, env);
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains("0 unreadable", check.Out, StringComparison.Ordinal);

        var rewrap = await CliRun.RunAsync(Args("rewrap"), null, env);
        Assert.True(rewrap.ExitCode == 0, rewrap.ToString());
        Assert.Contains("Rewrap:", rewrap.Out, StringComparison.Ordinal);

        Assert.Equal(2, (await CliRun.RunAsync(["server", "check", "--server", "/nonexistent/Plugboard.Server.dll"], null, env)).ExitCode);
        try
        {
            Directory.Delete(dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
