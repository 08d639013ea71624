using System.Text.Json;
using Plugboard.Server.Crypto;
using Plugboard.Server.Platform;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Server.Tests.Startup;

namespace Plugboard.Server.Tests.Telemetry;

public sealed class JsonLogTests
{
    [Fact]
    public async Task LogFormatJson_ServerProcess_WritesOneJsonObjectPerLineWithoutSecrets()
    {
        await using var storage = await TestStorage.CreateAsync(Plugboard.Server.Data.DatabaseEngine.Sqlite);
        var key = TestKey.New().Base64;
        var settings = new Dictionary<string, string>
        {
            ["PLUGBOARD_DATA_DIR"] = storage.DataDir,
            [PlatformBootstrap.AdminKeyVariable] = TestApp.AdminKey,
            [KeyRingLoader.EnvironmentVariable] = key,
            ["PLUGBOARD_LOG_FORMAT"] = "json",
            ["PLUGBOARD_ENGINE_AUDIT_FLUSH_MILLISECONDS"] = "50",
        };
        // The server's own log defaults, as an operator would run it, and Plugboard's debug lines too.
        await using var server = await ServerProcess.StartAsync(new ServerLaunch("json", settings)
        {
            Logging = new Dictionary<string, string> { ["Logging__LogLevel__Plugboard"] = "Debug" },
        });
        var scenario = await ServerScenario.CreateAsync(server);
        await scenario.ReadManyAsync(5, parallel: 5);
        // A request that fails logs too.
        (await scenario.Admin.ApiGetAsync("/api/v1/app-connections/does-not-exist")).AssertStatus(System.Net.HttpStatusCode.NotFound);
        await Task.Delay(500);

        var lines = server.Output.Where(l => !string.IsNullOrWhiteSpace(l)).ToList();
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var entry = ParseOrFail(line, server);
            Assert.True(entry.RootElement.TryGetProperty("LogLevel", out _), line);
            Assert.True(entry.RootElement.TryGetProperty("Category", out _), line);
            Assert.True(entry.RootElement.TryGetProperty("Timestamp", out _), line);
            Assert.DoesNotContain(scenario.Secret, line, StringComparison.Ordinal);
            Assert.DoesNotContain(TestApp.AdminKey, line, StringComparison.Ordinal);
            Assert.DoesNotContain(key, line, StringComparison.Ordinal);
        }
        Assert.Contains(lines, l => l.Contains("\"Category\":\"Plugboard", StringComparison.Ordinal));
    }

    private static JsonDocument ParseOrFail(string line, ServerProcess server)
    {
        try
        {
            return JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            Assert.Fail($"not a JSON line: {line}\n{server.OutputTail()}");
            throw;
        }
    }
}
