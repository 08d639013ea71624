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

    /// SIGTERM in the middle of a stream of reads: the ones in flight finish, later ones are refused at the door,
    /// and every read that released the secret has its audit row (a read audited but never answered is allowed:
    /// the client may give up on its connection as the server closes it).
    [Fact]
    public async Task Sigterm_DuringReads_InFlightReadsFinishAndEveryAnsweredReadIsAudited()
    {
        await using var replicas = await Replicas.CreateAsync(DatabaseEngine.Sqlite);
        var key = TestKey.New().Base64;
        var settings = new Dictionary<string, string>
        {
            ["PLUGBOARD_ENGINE_AUDIT_FLUSH_MILLISECONDS"] = "600000",
            ["PLUGBOARD_RATE_LIMITS"] = "false",
        };
        var server = await replicas.StartAsync("A", key, settings);
        var scenario = await ServerScenario.CreateAsync(server);
        const int parallel = 8;
        var answered = 0;
        var refused = 0;
        var stop = DateTime.UtcNow.AddSeconds(30);
        var readers = Enumerable.Range(0, parallel).Select(_ => Task.Run(async () =>
        {
            while (DateTime.UtcNow < stop && Volatile.Read(ref refused) == 0)
            {
                try
                {
                    await scenario.ReadAsync();
                    Interlocked.Increment(ref answered);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref refused);
                }
            }
        })).ToList();
        while (Volatile.Read(ref answered) < 100)
        {
            await Task.Delay(20);
        }

        server.Terminate();
        await Task.WhenAll(readers);
        var exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exitCode == 0, $"exit code {exitCode}\n{server.OutputTail()}");
        Assert.True(refused > 0, "the server never stopped answering");
        var again = await replicas.StartAsync("A2", key, settings);
        var audited = await (scenario with { Admin = again.Client() }).AuditedReadsAsync();
        Assert.InRange(audited, answered, answered + parallel);
    }
}
