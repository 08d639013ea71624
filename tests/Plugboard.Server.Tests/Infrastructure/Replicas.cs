using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Platform;

namespace Plugboard.Server.Tests.Infrastructure;

/// Server processes replicating one throwaway database, and the clients made for them; disposed together. Each
/// replica has the admin key, the given key ring and the refresh worker off unless its settings say otherwise. On
/// PostgreSQL each has a data dir of its own (nothing shared but the database); on SQLite the database is a file
/// in the storage's data dir, which they share.
public sealed class Replicas(TestStorage storage) : IAsyncDisposable
{
    private readonly List<ServerProcess> _servers = [];
    private readonly List<HttpClient> _clients = [];

    public TestStorage Storage => storage;

    public IReadOnlyList<ServerProcess> Servers
    {
        get
        {
            lock (_servers)
            {
                return [.. _servers];
            }
        }
    }

    public static async Task<Replicas> CreateAsync(DatabaseEngine engine) => new(await TestStorage.CreateAsync(engine));

    /// A replica of the shared database; with `ownStore` a server with a store of its own instead (a stranger to it).
    public async Task<ServerProcess> StartAsync(string name, string keyRing, IReadOnlyDictionary<string, string>? settings = null, bool ownStore = false)
    {
        var dataDir = storage.Engine == DatabaseEngine.Sqlite && !ownStore ? storage.DataDir : Path.Combine(storage.DataDir, name.ToLowerInvariant());
        Directory.CreateDirectory(dataDir);
        var all = new Dictionary<string, string>
        {
            ["PLUGBOARD_DATA_DIR"] = dataDir,
            ["PLUGBOARD_DATABASE"] = ownStore ? "" : storage.Database ?? "",
            [PlatformBootstrap.AdminKeyVariable] = TestApp.AdminKey,
            [KeyRingLoader.EnvironmentVariable] = keyRing,
            ["PLUGBOARD_REFRESH_WORKER"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }
        var server = await ServerProcess.StartAsync(name, all);
        lock (_servers)
        {
            _servers.Add(server);
        }
        return server;
    }

    public async Task StopAsync(ServerProcess server)
    {
        lock (_servers)
        {
            _servers.Remove(server);
        }
        await server.DisposeAsync();
    }

    public HttpClient Client(ServerProcess server, string credential = TestApp.AdminKey)
    {
        var client = server.Client(credential);
        lock (_clients)
        {
            _clients.Add(client);
        }
        return client;
    }

    /// The last lines each replica wrote, for a failure's message.
    public string Diagnostics(int lines = 30) => string.Join('\n', Servers.Select(s => s.OutputTail(lines)));

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        await Task.WhenAll(Servers.Select(s => s.DisposeAsync().AsTask()));
        await storage.DisposeAsync();
    }
}
