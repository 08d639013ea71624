using Microsoft.Extensions.DependencyInjection;
using Plugboard.Testing.Servers;
using Plugboard.Testing.Storage;

namespace Plugboard.Client.Tests.Infrastructure;

/// A real Plugboard server process on a loopback port with throwaway storage (SQLite, or a PostgreSQL database
/// of its own), its admin (platform) and operator keys known to the tests.
public sealed class PlugboardServer : IAsyncDisposable
{
    public const string AdminKey = "sk-clienttestadmin0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefgh";
    public const string OperatorKey = "op-clienttestoperator0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcd";
    public const string PostgresVariable = "PLUGBOARD_TEST_POSTGRES";

    private readonly ThrowawayStorage _storage;
    private readonly List<ServiceProvider> _providers = [];

    private PlugboardServer(ServerProcess process, ThrowawayStorage storage, bool postgres)
    {
        Process = process;
        _storage = storage;
        IsPostgres = postgres;
    }

    public ServerProcess Process { get; }
    public Uri BaseAddress => Process.BaseAddress;
    public bool IsPostgres { get; }

    public static bool PostgresAvailable => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 };

    public static async Task<PlugboardServer> StartAsync(bool postgres, IReadOnlyDictionary<string, string>? settings = null)
    {
        var storage = await ThrowawayStorage.CreateAsync("plugboard-client-tests", "pb_client_", postgres ? Environment.GetEnvironmentVariable(PostgresVariable) : null);
        var all = new Dictionary<string, string>
        {
            ["PLUGBOARD_DATA_DIR"] = storage.DataDir,
            ["PLUGBOARD_DATABASE"] = storage.Database ?? "",
            ["PLUGBOARD_ADMIN_API_KEY"] = AdminKey,
            ["PLUGBOARD_OPERATOR_KEY"] = OperatorKey,
            ["PLUGBOARD_REFRESH_WORKER"] = "false",
            // Every test shares one server and one loopback address: lift the per-address budgets.
            ["PLUGBOARD_RATE_LIMIT_PER_IP_PER_MINUTE"] = "1000000",
            ["PLUGBOARD_RATE_LIMIT_PER_CREDENTIAL_PER_MINUTE"] = "1000000",
            ["PLUGBOARD_RATE_LIMIT_TOKEN_EXCHANGE_PER_MINUTE"] = "1000000",
            ["PLUGBOARD_RATE_LIMIT_TOKEN_EXCHANGE_BURST"] = "1000000",
            ["PLUGBOARD_RATE_LIMIT_TOKEN_EXCHANGE_VALID_PER_MINUTE"] = "1000000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }
        try
        {
            return new PlugboardServer(await ServerProcess.StartAsync(postgres ? "pg" : "sqlite", all), storage, postgres);
        }
        catch
        {
            await storage.DisposeAsync();
            throw;
        }
    }

    /// The SDK as an app gets it: <c>AddPlugboardClient</c> over the HttpClient factory, with the resilience
    /// pipeline, pointed at <paramref name="baseAddress"/> (this server unless given, e.g. a fault proxy).
    public PlugboardClient Client(string? globalKey = AdminKey, Uri? baseAddress = null, Action<IServiceCollection>? services = null, Action<PlugboardClientOptions>? options = null)
    {
        var collection = new ServiceCollection();
        collection.AddPlugboardClient(o =>
        {
            o.BaseAddress = baseAddress ?? BaseAddress;
            o.GlobalApiKey = globalKey;
            // Short back-offs keep the retry tests quick; a Retry-After still sets its own delay.
            o.RetryDelay = TimeSpan.FromMilliseconds(50);
            options?.Invoke(o);
        });
        services?.Invoke(collection);
        var provider = collection.BuildServiceProvider();
        lock (_providers)
        {
            _providers.Add(provider);
        }
        return provider.GetRequiredService<PlugboardClient>();
    }

    /// A new project of the admin platform, for a test of its own.
    public Task<Project> NewProjectAsync(string? externalId = null) =>
        Client().Projects.CreateAsync(new CreateProjectRequest
        {
            DisplayName = "Client test",
            ExternalId = externalId ?? "client-" + Guid.NewGuid().ToString("N"),
        });

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }
        await Process.DisposeAsync();
        await _storage.DisposeAsync();
    }
}
