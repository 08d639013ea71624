using System.Text.Json;
using Plugboard.Cli.Tests.Infrastructure;
using Plugboard.Client;

namespace Plugboard.Cli.Tests;

public sealed class CliCommandTests(CliServer server)
{
    private const string Secret = "xoxb-cli-test-secret-7d1e0c";

    private static UnixFileMode ModeOf(string path) => OperatingSystem.IsWindows() ? 0 : File.GetUnixFileMode(path);

    private static string ValueFile(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), "plugboard-cli-tests-values", Guid.NewGuid().ToString("N") + ".json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
        return path;
    }

    private async Task<string> NewProjectIdAsync()
    {
        var run = await server.RunAsync(["projects", "create", "--name", "CLI test", "--external-id", "cli-" + Guid.NewGuid().ToString("N"), "-o", "json"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return JsonDocument.Parse(run.Out).RootElement.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Projects_CreateGetList_TableAndJson()
    {
        var externalId = "cli-" + Guid.NewGuid().ToString("N");
        var created = await server.RunAsync(["projects", "create", "--name", "Acme", "--external-id", externalId, "--output", "json"]);
        Assert.True(created.ExitCode == 0, created.ToString());
        var json = JsonDocument.Parse(created.Out).RootElement;
        Assert.Equal(externalId, json.GetProperty("externalId").GetString());
        Assert.Equal("Acme", json.GetProperty("displayName").GetString());
        var id = json.GetProperty("id").GetString()!;

        var table = await server.RunAsync(["projects", "list", "--external-id", externalId]);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains(id, table.Out, StringComparison.Ordinal);
        Assert.Contains("externalId", table.Out, StringComparison.Ordinal);
        Assert.Contains("│", table.Out, StringComparison.Ordinal);

        var get = await server.RunAsync(["projects", "get", id, "-o", "json"]);
        Assert.Equal(0, get.ExitCode);
        Assert.Equal(id, JsonDocument.Parse(get.Out).RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Connections_UpsertFromFileAndStdin_ValueNeverInArgvOrOutput()
    {
        var projectId = await NewProjectIdAsync();
        var file = ValueFile($$"""{"type":"SECRET_TEXT","secret_text":"{{Secret}}"}""");
        string[] args = ["connections", "upsert", "--project", projectId, "--external-id", "slack", "--name", "Slack", "--piece", "@activepieces/piece-slack", "--value-file", file];
        Assert.DoesNotContain(args, a => a.Contains(Secret, StringComparison.Ordinal));
        var upsert = await server.RunAsync(args);
        Assert.True(upsert.ExitCode == 0, upsert.ToString());
        Assert.DoesNotContain(Secret, upsert.Out + upsert.Error, StringComparison.Ordinal);

        var stdin = await server.RunAsync(
            ["connections", "upsert", "--project", projectId, "--external-id", "basic", "--piece", "@activepieces/piece-http", "--value-file", "-", "-o", "json"],
            stdin: $$"""{"type":"BASIC_AUTH","username":"ann","password":"{{Secret}}"}""");
        Assert.True(stdin.ExitCode == 0, stdin.ToString());
        Assert.DoesNotContain(Secret, stdin.Out + stdin.Error, StringComparison.Ordinal);
        var id = JsonDocument.Parse(stdin.Out).RootElement.GetProperty("id").GetString()!;

        var list = await server.RunAsync(["connections", "list", "--project", projectId, "-o", "json"]);
        Assert.Equal(0, list.ExitCode);
        var items = JsonDocument.Parse(list.Out).RootElement.EnumerateArray().Select(e => e.GetProperty("externalId").GetString()).ToList();
        Assert.Contains("slack", items);
        Assert.Contains("basic", items);
        Assert.DoesNotContain(Secret, list.Out, StringComparison.Ordinal);

        var get = await server.RunAsync(["connections", "get", id]);
        Assert.Equal(0, get.ExitCode);
        Assert.Contains("basic", get.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, get.Out, StringComparison.Ordinal);

        // The engine reads the value the file held.
        var client = await server.ClientAsync();
        var token = await client.EngineTokens.IssueAsync(new IssueEngineTokenRequest { ProjectId = projectId }, TestContext.Current.CancellationToken);
        var read = await client.ForEngine(token.Token).ReadConnectionAsync("slack", TestContext.Current.CancellationToken);
        Assert.Equal(new SecretTextValue(Secret), read.Value);

        var delete = await server.RunAsync(["connections", "delete", id]);
        Assert.Equal(0, delete.ExitCode);
        var gone = await server.RunAsync(["connections", "get", id]);
        Assert.Equal(1, gone.ExitCode);
        Assert.StartsWith("error: ENTITY_NOT_FOUND: ", gone.Error, StringComparison.Ordinal);
        Assert.Single(gone.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Connections_NoValueOptionInArgv_IsUsageError()
    {
        // There is no --value: a secret cannot be given where `ps` shows it.
        var run = await server.RunAsync(["connections", "upsert", "--project", "p", "--external-id", "x", "--piece", "p", "--value", Secret]);
        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain(Secret, run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upsert_BadValueFile_IsUsageErrorWithoutEchoingIt()
    {
        var file = ValueFile($$"""{"type":"SECRET_TEXT","secret_text":"{{Secret}}" oops""");
        var run = await server.RunAsync(["connections", "upsert", "--project", "p", "--external-id", "x", "--piece", "p", "--value-file", file]);
        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain(Secret, run.Out + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Global_UpsertListDelete()
    {
        var projectId = await NewProjectIdAsync();
        var externalId = "global-" + Guid.NewGuid().ToString("N");
        var file = ValueFile($$"""{"type":"SECRET_TEXT","secret_text":"{{Secret}}"}""");
        var upsert = await server.RunAsync(["global", "upsert", "--external-id", externalId, "--piece", "@activepieces/piece-openai", "--project", projectId, "--value-file", file, "-o", "json"]);
        Assert.True(upsert.ExitCode == 0, upsert.ToString());
        var id = JsonDocument.Parse(upsert.Out).RootElement.GetProperty("id").GetString()!;
        Assert.Equal(projectId, JsonDocument.Parse(upsert.Out).RootElement.GetProperty("projectIds")[0].GetString());

        var list = await server.RunAsync(["global", "list"]);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(externalId, list.Out, StringComparison.Ordinal);

        Assert.Equal(0, (await server.RunAsync(["global", "delete", id])).ExitCode);
        Assert.DoesNotContain(externalId, (await server.RunAsync(["global", "list"])).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_CreateListDelete_ValueShownOnceOnly()
    {
        var created = await server.RunAsync(["keys", "create", "--name", "ci", "-o", "json"]);
        Assert.True(created.ExitCode == 0, created.ToString());
        var json = JsonDocument.Parse(created.Out).RootElement;
        var value = json.GetProperty("value").GetString()!;
        var id = json.GetProperty("id").GetString()!;

        var list = await server.RunAsync(["keys", "list"]);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(id, list.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(value, list.Out, StringComparison.Ordinal);

        // The new key works for the CLI too.
        var withKey = await server.RunAsync(["projects", "list", "-o", "json"], environment: new Dictionary<string, string> { ["PLUGBOARD_API_KEY"] = value });
        Assert.Equal(0, withKey.ExitCode);

        Assert.Equal(0, (await server.RunAsync(["keys", "delete", id])).ExitCode);
        var refused = await server.RunAsync(["projects", "list"], environment: new Dictionary<string, string> { ["PLUGBOARD_API_KEY"] = value });
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("error: ", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_Tail_ShowsTheNewestEvents()
    {
        await NewProjectIdAsync();
        var run = await server.RunAsync(["audit", "tail", "-n", "5"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.NotEmpty(run.Out.Trim());
        var json = await server.RunAsync(["audit", "tail", "-n", "5", "-o", "json"]);
        Assert.Equal(0, json.ExitCode);
        foreach (var line in json.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.True(JsonDocument.Parse(line).RootElement.TryGetProperty("action", out _));
        }
    }

    [Fact]
    public async Task Audit_TailFollow_StopsWhenInterrupted()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var env = new Dictionary<string, string>
        {
            ["PLUGBOARD_URL"] = (await server.BaseAddressAsync()).ToString(),
            ["PLUGBOARD_API_KEY"] = CliServer.AdminKey,
        };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var host = new CliHost(new StringReader(""), output, error, name => env.GetValueOrDefault(name), false);
        var run = CliApp.RunAsync(["audit", "tail", "--follow", "--interval", "0.2", "--action", "project.created"], host, cts.Token);
        await Task.Delay(500, TestContext.Current.CancellationToken);
        var project = await NewProjectIdAsync();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!output.ToString().Contains(project, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        await cts.CancelAsync();
        Assert.Equal(1, await run);
        Assert.Contains(project, output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_ExportThenDryRunImport()
    {
        var file = Path.Combine(Path.GetTempPath(), "plugboard-cli-tests-values", Guid.NewGuid().ToString("N") + ".bundle.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var export = await server.RunAsync(["sync", "export", "--file", file]);
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.True(File.Exists(file));
        var import = await server.RunAsync(["sync", "import", "--file", file, "--dry-run", "-o", "json"]);
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.True(JsonDocument.Parse(import.Out).RootElement.TryGetProperty("unchanged", out _));
    }

    [Fact]
    public async Task Errors_ExitCodes_UsageIsTwoApiFailureIsOne()
    {
        Assert.Equal(2, (await server.RunAsync([])).ExitCode);
        Assert.Equal(2, (await server.RunAsync(["projects", "frobnicate"])).ExitCode);
        Assert.Equal(2, (await server.RunAsync(["projects", "list", "--output", "yaml"])).ExitCode);
        Assert.Equal(0, (await server.RunAsync(["--help"])).ExitCode);

        var missing = await server.RunAsync(["projects", "get", "no-such-project"]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Matches("^error: [A-Z_]+: .+$", missing.Error.Trim());

        var badKey = await server.RunAsync(["projects", "list"], environment: new Dictionary<string, string> { ["PLUGBOARD_API_KEY"] = "sk-wrong" });
        Assert.Equal(1, badKey.ExitCode);
        Assert.Matches("^error: [A-Z_]+: .+$", badKey.Error.Trim());
    }

    [Fact]
    public async Task Login_KeyFromStdin_StoredOwnerOnly_UsedByNextCommand()
    {
        var config = Path.Combine(Path.GetTempPath(), "plugboard-cli-tests-config", Guid.NewGuid().ToString("N"));
        var env = new Dictionary<string, string> { ["PLUGBOARD_URL"] = "", ["PLUGBOARD_API_KEY"] = "", ["XDG_CONFIG_HOME"] = config };
        var url = (await server.BaseAddressAsync()).ToString();

        var notLoggedIn = await server.RunAsync(["projects", "list"], environment: env);
        Assert.Equal(1, notLoggedIn.ExitCode);
        Assert.Contains("not logged in", notLoggedIn.Error, StringComparison.Ordinal);

        var wrong = await server.RunAsync(["login", "--url", url, "--key", "-"], stdin: "sk-wrong\n", environment: env);
        Assert.Equal(1, wrong.ExitCode);
        Assert.False(File.Exists(Path.Combine(config, "plugboard", "config.json")));

        var login = await server.RunAsync(["login", "--url", url, "--key", "-"], stdin: CliServer.AdminKey + "\n", environment: env);
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.DoesNotContain(CliServer.AdminKey, login.Out + login.Error, StringComparison.Ordinal);
        var file = Path.Combine(config, "plugboard", "config.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, ModeOf(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, ModeOf(Path.GetDirectoryName(file)!));

        var list = await server.RunAsync(["projects", "list", "-o", "json"], environment: env);
        Assert.True(list.ExitCode == 0, list.ToString());

        var keyFile = ValueFile(CliServer.AdminKey);
        var again = await server.RunAsync(["login", "--url", url, "--key-file", keyFile], environment: env);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, ModeOf(file));

        Assert.Equal(2, (await server.RunAsync(["login", "--url", url], environment: env)).ExitCode);
    }
}
