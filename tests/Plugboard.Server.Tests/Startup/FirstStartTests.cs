using System.Net;
using System.Net.Sockets;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Platform;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Startup;

/// What a newcomer sees in the terminal: `dotnet Plugboard.Server.dll` from a folder with no appsettings.json,
/// with no Logging__ variables. A few lines saying where things are, no SQL, and a start that cannot succeed
/// ends with exit code 1 and one line, never a stack trace.
public abstract class FirstStartTests(DatabaseEngine engine) : IAsyncLifetime
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);
    private TestStorage _storage = null!;
    private string _workingDirectory = null!;

    public async ValueTask InitializeAsync()
    {
        _storage = await TestStorage.CreateAsync(engine);
        _workingDirectory = Directory.CreateTempSubdirectory("plugboard-cwd-").FullName;
    }

    public async ValueTask DisposeAsync()
    {
        Directory.Delete(_workingDirectory, recursive: true);
        await _storage.DisposeAsync();
    }

    [Fact]
    public async Task FirstStart_FromAnotherDirectory_SaysWhereThingsAreAndLogsNoSql()
    {
        var dataDir = Path.Combine(_storage.DataDir, "data");
        var server = ServerProcess.Launch("newcomer", Settings(dataDir), Address(), asNewcomer: true, workingDirectory: _workingDirectory);
        await using (server)
        {
            await server.WaitUntilHealthyAsync();
            var adminKey = (await File.ReadAllTextAsync(Path.Combine(dataDir, "admin-api-key"))).Trim();
            using var admin = server.Client(adminKey);
            var projectId = await admin.CreateProjectAsync();
            (await admin.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}")).AssertStatus(HttpStatusCode.OK);
        }

        var output = server.Output;
        var text = string.Join('\n', output);
        Assert.DoesNotContain("Executed DbCommand", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SELECT", text, StringComparison.Ordinal);
        Assert.Contains(output, line => line.Contains($"Admin API key: {Path.Combine(dataDir, "admin-api-key")}", StringComparison.Ordinal));
        Assert.Contains(output, line => line.Contains("Plugboard is listening on http://127.0.0.1:", StringComparison.Ordinal));
        Assert.Contains(output, line => line.Contains(engine == DatabaseEngine.Sqlite ? "Database: SQLite " : "Database: PostgreSQL ", StringComparison.Ordinal));
        Assert.Contains(output, line => line.Contains("Operator routes (/api/v1/platforms): off", StringComparison.Ordinal));
        Assert.True(output.Count <= 12, $"a first start should say a few things, not {output.Count} lines:\n{text}");
        Assert.DoesNotContain(output, line => line.Contains(" info: Microsoft.", StringComparison.Ordinal) || line.Contains(" fail: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_PortAlreadyTaken_ExitsWithCode1AndOneLine()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var address = new Uri($"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}");

        // Every background worker on and ticking fast: none may work on the services a failed start has disposed.
        var settings = Settings(Path.Combine(_storage.DataDir, "data"));
        settings["PLUGBOARD_REFRESH_WORKER"] = "true";
        settings["PLUGBOARD_REFRESH_INTERVAL_SECONDS"] = "0.01";
        settings["PLUGBOARD_WEBHOOKS_INTERVAL_SECONDS"] = "0.01";
        var server = ServerProcess.Launch("busy", settings, address, asNewcomer: true, workingDirectory: _workingDirectory);
        await using (server)
        {
            Assert.Equal(1, await server.WaitForExitAsync(ExitTimeout));
        }
        AssertOneLineFailure(server.Output, "address already in use");
    }

    [Fact]
    public async Task Start_SettingThatDoesNotParse_ExitsWithCode1AndNamesIt()
    {
        var settings = Settings(Path.Combine(_storage.DataDir, "data"));
        settings["PLUGBOARD_REFRESH_INTERVAL_SECONDS"] = "soon";

        var server = ServerProcess.Launch("bad-setting", settings, Address(), asNewcomer: true, workingDirectory: _workingDirectory);
        await using (server)
        {
            Assert.Equal(1, await server.WaitForExitAsync(ExitTimeout));
        }
        AssertOneLineFailure(server.Output, "PLUGBOARD_REFRESH_INTERVAL_SECONDS");
    }

    [Fact]
    public async Task Start_WrongEncryptionKeyForExistingData_ExitsWithCode1AndNamesTheVariable()
    {
        var dataDir = Path.Combine(_storage.DataDir, "data");
        var first = Settings(dataDir);
        first[KeyRingLoader.EnvironmentVariable] = TestKey.New().Base64;
        first[PlatformBootstrap.AdminKeyVariable] = TestApp.AdminKey;
        await using (var server = await ServerProcess.StartAsync("first", first))
        {
            using var admin = server.Client();
            var projectId = await admin.CreateProjectAsync();
            (await admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, "ext_1", "xoxb-1"))).AssertStatus(HttpStatusCode.Created);
        }

        var wrong = Settings(dataDir);
        wrong[KeyRingLoader.EnvironmentVariable] = TestKey.New().Base64;
        var restarted = ServerProcess.Launch("wrong-key", wrong, Address(), asNewcomer: true, workingDirectory: _workingDirectory);
        await using (restarted)
        {
            Assert.Equal(1, await restarted.WaitForExitAsync(ExitTimeout));
        }
        AssertOneLineFailure(restarted.Output, KeyRingLoader.EnvironmentVariable);
    }

    private static void AssertOneLineFailure(IReadOnlyList<string> output, string expected)
    {
        var text = string.Join('\n', output);
        var failures = output.Where(line => line.StartsWith("Plugboard cannot start: ", StringComparison.Ordinal)).ToList();
        Assert.True(failures.Count == 1, $"expected one 'Plugboard cannot start' line:\n{text}");
        Assert.Contains(expected, failures[0], StringComparison.Ordinal);
        Assert.DoesNotContain(output, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.False(text.Contains("Exception", StringComparison.Ordinal), $"an exception in the output:\n{text}");
        Assert.DoesNotContain(output, line => line.Contains(" fail: ", StringComparison.Ordinal) || line.Contains(" crit: ", StringComparison.Ordinal));
    }

    private Dictionary<string, string> Settings(string dataDir) => new()
    {
        ["PLUGBOARD_DATA_DIR"] = dataDir,
        ["PLUGBOARD_DATABASE"] = _storage.Database ?? "",
        ["PLUGBOARD_REFRESH_WORKER"] = "false",
    };

    private static Uri Address() => new($"http://127.0.0.1:{ServerProcess.FreePort()}");
}

public sealed class FirstStartSqliteTests() : FirstStartTests(DatabaseEngine.Sqlite);

public sealed class FirstStartPostgresTests() : FirstStartTests(DatabaseEngine.Postgres);
