using Plugboard.Server.Tests.Startup;
using Plugboard.Server.Data;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Telemetry;

/// SIGTERM, as a container runtime sends it: the server finishes what it has and writes every queued
/// engine-read audit row before it exits.
public sealed class ShutdownTests
{
    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task Sigterm_RightAfterABurstOfEngineReads_ExitsCleanlyWithEveryReadAudited(DatabaseEngine engine)
    {
        await using var replicas = await Replicas.CreateAsync(engine);
        var key = TestKey.New().Base64;
        // A flush interval far beyond the test: only the flush on the way out can write these rows.
        var settings = new Dictionary<string, string>
        {
            ["PLUGBOARD_ENGINE_AUDIT_FLUSH_MILLISECONDS"] = "600000",
            ["PLUGBOARD_SHUTDOWN_TIMEOUT_SECONDS"] = "20",
            ["PLUGBOARD_RATE_LIMITS"] = "false",
        };
        var server = await replicas.StartAsync("A", key, settings);
        var scenario = await ServerScenario.CreateAsync(server);
        const int reads = 400;

        await scenario.ReadManyAsync(reads, parallel: 16);
        server.Terminate();
        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 0, $"exit code {exitCode}\n{server.OutputTail()}");
        Assert.Empty(server.OutputLinesContaining("fail:"));
        var again = await replicas.StartAsync("A2", key, settings);
        var restarted = scenario with { Admin = again.Client() };
        Assert.Equal(reads, await restarted.AuditedReadsAsync());
    }
}
