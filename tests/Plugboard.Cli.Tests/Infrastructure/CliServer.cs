using Microsoft.Extensions.DependencyInjection;
using Plugboard.Client;
using Plugboard.Testing.Servers;
using Plugboard.Testing.Storage;

namespace Plugboard.Cli.Tests.Infrastructure;

/// One real Plugboard server process (SQLite, throwaway data dir) for the whole run; every test makes projects of
/// its own. Outbound calls to 127.0.0.1 are allowed so an imported OAuth2 connection refreshes at the fake provider.
public sealed class CliServer : IAsyncDisposable
{
    public const string AdminKey = "sk-clitestadmin0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijk";
    public const string PostgresVariable = "PLUGBOARD_TEST_POSTGRES";

    private readonly Lazy<Task<(ServerProcess Process, ThrowawayStorage Storage)>> _server = new(StartAsync);
    private readonly List<ServiceProvider> _providers = [];

    public static string? Postgres => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } p ? p : null;

    public async Task<Uri> BaseAddressAsync() => (await _server.Value).Process.BaseAddress;

    private static async Task<(ServerProcess, ThrowawayStorage)> StartAsync()
    {
        var storage = await ThrowawayStorage.CreateAsync("plugboard-cli-tests", "pb_cli_", null);
        var settings = new Dictionary<string, string>
        {
            ["PLUGBOARD_DATA_DIR"] = storage.DataDir,
            ["PLUGBOARD_DATABASE"] = "",
            ["PLUGBOARD_ADMIN_API_KEY"] = AdminKey,
            ["PLUGBOARD_REFRESH_WORKER"] = "false",
            ["PLUGBOARD_OUTBOUND_ALLOWED_HOSTS"] = "127.0.0.1",
            ["PLUGBOARD_RATE_LIMIT_PER_IP_PER_MINUTE"] = "1000000",
            ["PLUGBOARD_RATE_LIMIT_PER_CREDENTIAL_PER_MINUTE"] = "1000000",
            ["PLUGBOARD_RATE_LIMIT_TOKEN_EXCHANGE_PER_MINUTE"] = "1000000",
            ["PLUGBOARD_RATE_LIMIT_TOKEN_EXCHANGE_BURST"] = "1000000",
            ["PLUGBOARD_RATE_LIMIT_TOKEN_EXCHANGE_VALID_PER_MINUTE"] = "1000000",
        };
        try
        {
            return (await ServerProcess.StartAsync("cli", settings), storage);
        }
        catch
        {
            await storage.DisposeAsync();
            throw;
        }
    }

    /// The SDK with the admin key, to check what the CLI did.
    public async Task<PlugboardClient> ClientAsync()
    {
        var address = await BaseAddressAsync();
        var collection = new ServiceCollection();
        collection.AddPlugboardClient(o =>
        {
            o.BaseAddress = address;
            o.GlobalApiKey = AdminKey;
        });
        var provider = collection.BuildServiceProvider();
        lock (_providers)
        {
            _providers.Add(provider);
        }
        return provider.GetRequiredService<PlugboardClient>();
    }

    /// A CLI run against this server: PLUGBOARD_URL and PLUGBOARD_API_KEY set, a config dir of its own.
    public async Task<CliRun> RunAsync(string[] args, string? stdin = null, IDictionary<string, string>? environment = null)
    {
        var env = new Dictionary<string, string>
        {
            ["PLUGBOARD_URL"] = (await BaseAddressAsync()).ToString(),
            ["PLUGBOARD_API_KEY"] = AdminKey,
            ["XDG_CONFIG_HOME"] = Path.Combine(Path.GetTempPath(), "plugboard-cli-tests-config", Guid.NewGuid().ToString("N")),
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }
        return await CliRun.RunAsync(args, stdin, env);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }
        if (_server.IsValueCreated)
        {
            try
            {
                var (process, storage) = await _server.Value;
                await process.DisposeAsync();
                await storage.DisposeAsync();
            }
            catch (Exception) when (_server.Value.IsFaulted)
            {
            }
        }
    }
}

/// One in-process run of the CLI's entry point: exit code, stdout and stderr.
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static async Task<CliRun> RunAsync(string[] args, string? stdin, IReadOnlyDictionary<string, string> environment)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var input = new StringReader(stdin ?? "");
        var host = new CliHost(input, output, error, name => environment.GetValueOrDefault(name), OutputIsTerminal: false);
        var code = await CliApp.RunAsync(args, host, TestContext.Current.CancellationToken);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}
