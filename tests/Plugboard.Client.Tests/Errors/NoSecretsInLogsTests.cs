using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Plugboard.Client.Tests.Infrastructure;

namespace Plugboard.Client.Tests.Errors;

public sealed class NoSecretsInLogsTests(Servers servers)
{
    [Fact]
    public async Task EveryLogLineOfTheClient_AtTrace_HoldsNeitherTheKeyNorAValue()
    {
        var server = await servers.SqliteAsync();
        await using var proxy = await FaultProxy.StartAsync(server.BaseAddress);
        var project = await server.NewProjectAsync();
        var lines = new ConcurrentQueue<string>();
        var client = server.Client(baseAddress: proxy.BaseAddress, services: s => s.AddLogging(l =>
        {
            l.SetMinimumLevel(LogLevel.Trace);
            l.AddProvider(new CollectingProvider(lines));
        }));
        const string secret = "xoxb-never-logged-0123456789";
        proxy.Fail(1, System.Net.HttpStatusCode.ServiceUnavailable);

        await client.AppConnections.UpsertAsync(new UpsertAppConnectionRequest
        {
            ProjectId = project.Id,
            ExternalId = "logged",
            DisplayName = "Logged",
            PieceName = "@activepieces/piece-slack",
            Value = new SecretTextValue(secret),
        });
        await Assert.ThrowsAsync<PlugboardApiException>(() => client.AppConnections.GetAsync("conn_missing0000000000000"));

        Assert.NotEmpty(lines);
        Assert.DoesNotContain(lines, l => l.Contains(PlugboardServer.AdminKey, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
    }

    private sealed class CollectingProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Collector(categoryName, lines);

        public void Dispose()
        {
        }
    }

    private sealed class Collector(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{category} {formatter(state, exception)} {exception}");
    }
}
