using Microsoft.Extensions.DependencyInjection;
using Plugboard.Client;
using Plugboard.Testing.Servers;
using Plugboard.Testing.Storage;

namespace Plugboard.Console.Tests.Infrastructure;

/// A real Plugboard server process on a loopback port with throwaway storage (SQLite, or a PostgreSQL database of its
/// own), its admin key known to the tests, outbound calls to 127.0.0.1 allowed (the fake OAuth provider).
public sealed class ConsoleServer : IAsyncDisposable
{
    public const string AdminKey = "sk-consoletestadmin0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg";
    public const string OperatorKey = "op-consoletestoperator0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    public const string PostgresVariable = "PLUGBOARD_TEST_POSTGRES";

    private readonly ThrowawayStorage _storage;
    private readonly ServiceProvider _services;

    private ConsoleServer(ServerProcess process, ThrowawayStorage storage)
    {
        Process = process;
        _storage = storage;
        var collection = new ServiceCollection();
        collection.AddPlugboardClient(o =>
        {
            o.BaseAddress = process.BaseAddress;
            o.GlobalApiKey = AdminKey;
        });
        _services = collection.BuildServiceProvider();
        Api = _services.GetRequiredService<PlugboardClient>();
    }

    public ServerProcess Process { get; }
    public Uri BaseAddress => Process.BaseAddress;

    /// The API as the admin key, for setting up what the pages then show.
    public PlugboardClient Api { get; }

    public static bool PostgresAvailable => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 };

    public static async Task<ConsoleServer> StartAsync(bool postgres)
    {
        var storage = await ThrowawayStorage.CreateAsync("plugboard-console-tests", "pb_console_", postgres ? Environment.GetEnvironmentVariable(PostgresVariable) : null);
        var settings = new Dictionary<string, string>
        {
            ["PLUGBOARD_DATA_DIR"] = storage.DataDir,
            ["PLUGBOARD_DATABASE"] = storage.Database ?? "",
            ["PLUGBOARD_ADMIN_API_KEY"] = AdminKey,
            ["PLUGBOARD_OPERATOR_KEY"] = OperatorKey,
            ["PLUGBOARD_REFRESH_WORKER"] = "false",
            ["PLUGBOARD_OUTBOUND_ALLOWED_HOSTS"] = "127.0.0.1",
            ["PLUGBOARD_RATE_LIMIT_PER_IP_PER_MINUTE"] = "1000000",
            ["PLUGBOARD_RATE_LIMIT_PER_CREDENTIAL_PER_MINUTE"] = "1000000",
        };
        try
        {
            return new ConsoleServer(await ServerProcess.StartAsync(postgres ? "console-pg" : "console-sqlite", settings), storage);
        }
        catch
        {
            await storage.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Process.DisposeAsync();
        await _storage.DisposeAsync();
    }
}
