namespace Plugboard.Client.Tests.Infrastructure;

/// One server per engine for the whole run, started on first use (each test makes projects of its own, so
/// tests do not see each other's rows). PostgreSQL tests skip when PLUGBOARD_TEST_POSTGRES is not set.
public sealed class Servers : IAsyncDisposable
{
    private readonly Lazy<Task<PlugboardServer>> _sqlite = new(() => PlugboardServer.StartAsync(postgres: false));
    private readonly Lazy<Task<PlugboardServer>> _postgres = new(() => PlugboardServer.StartAsync(postgres: true));

    public Task<PlugboardServer> SqliteAsync() => _sqlite.Value;

    public Task<PlugboardServer> PostgresAsync()
    {
        Assert.SkipUnless(PlugboardServer.PostgresAvailable,
            $"{PlugboardServer.PostgresVariable} is not set: ./scripts/test starts a throwaway PostgreSQL and sets it.");
        return _postgres.Value;
    }

    public Task<PlugboardServer> OnAsync(string engine) => engine switch
    {
        "sqlite" => SqliteAsync(),
        "postgres" => PostgresAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "sqlite or postgres"),
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var server in new[] { _sqlite, _postgres }.Where(s => s.IsValueCreated))
        {
            try
            {
                await (await server.Value).DisposeAsync();
            }
            catch (Exception) when (server.Value.IsFaulted)
            {
            }
        }
    }
}
