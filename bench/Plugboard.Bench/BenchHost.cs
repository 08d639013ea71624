using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server;
using Plugboard.Server.Access;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Platform;
using Plugboard.Server.Projects;

namespace Plugboard.Bench;

/// The server's data services, wired in this process as Program.cs wires them, on one storage;
/// initialised like a server start (migrations, key ring, platform and admin key), plus one project.
internal sealed class BenchHost : IAsyncDisposable
{
    private BenchHost(ServiceProvider services, IReadOnlyDictionary<string, string> settings, Caller caller, string projectId)
    {
        Services = services;
        Settings = settings;
        Caller = caller;
        ProjectId = projectId;
    }

    public ServiceProvider Services { get; }
    /// PLUGBOARD_* settings, handed to the server process too so it opens the same data with the same keys.
    public IReadOnlyDictionary<string, string> Settings { get; }
    /// The admin key's caller, as the API would establish it.
    public Caller Caller { get; }
    public string ProjectId { get; }
    public string AdminKey => Settings[PlatformBootstrap.AdminKeyVariable];

    public static async Task<BenchHost> StartAsync(BenchStorage storage)
    {
        var settings = new Dictionary<string, string>
        {
            ["PLUGBOARD_DATA_DIR"] = storage.DataDir,
            ["PLUGBOARD_DATABASE"] = storage.Database ?? "",
            [PlatformBootstrap.AdminKeyVariable] = ApiKeyHash.NewKey(),
            [KeyRingLoader.EnvironmentVariable] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(EncryptionKey.Size)),
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings!).Build();

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddPlugboardCore();
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        await Startup.InitializeAsync(provider);

        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlugboardDb>();
        var platform = await db.Platforms.AsNoTracking().OrderBy(p => p.Created).FirstAsync();
        var apiKey = await db.ApiKeys.AsNoTracking().FirstAsync(k => k.PlatformId == platform.Id);
        var now = TimeProvider.System.UtcNow();
        var project = new Project
        {
            Id = Ids.New(),
            PlatformId = platform.Id,
            OwnerId = platform.OwnerId,
            DisplayName = "Bench",
            ExternalId = "bench",
            Created = now,
            Updated = now,
        };
        db.Projects.Add(project);
        await db.SaveChangesAsync();

        var caller = new Caller(platform.Id, Caller.PlatformKeyActor, apiKey.Id, null, platform.OwnerId);
        return new BenchHost(provider, settings, caller, project.Id);
    }

    public AsyncServiceScope CreateScope() => Services.CreateAsyncScope();

    /// Connections in the bench project, counted as the list sees them (its own, by scope key).
    public async Task<int> CountConnectionsAsync()
    {
        await using var scope = CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PlugboardDb>();
        return await db.AppConnections.CountAsync(c => c.PlatformId == Caller.PlatformId && c.ScopeKey == ProjectId);
    }

    public async ValueTask DisposeAsync() => await Services.DisposeAsync();
}
