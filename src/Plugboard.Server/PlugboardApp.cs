using Plugboard.Server.Audit;
using Plugboard.Server.Configuration;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Embed;
using Plugboard.Server.Embedding;
using Plugboard.Server.Engine;
using Plugboard.Server.Flows;
using Plugboard.Server.Health;
using Plugboard.Server.Http;
using Plugboard.Server.Maintenance;
using Plugboard.Server.Mcp;
using Plugboard.Server.OAuth;
using Plugboard.Server.OpenApi;
using Plugboard.Server.Pages;
using Plugboard.Server.Pieces;
using Plugboard.Server.Platform;
using Plugboard.Server.Projects;
using Plugboard.Server.Proxy;
using Plugboard.Server.Sync;
using Plugboard.Server.Telemetry;
using Plugboard.Server.Webhooks;

namespace Plugboard.Server;

/// The server composed once: Program runs it as it is, and a host built on it (the bench's) runs it with
/// routes of its own added.
public static class PlugboardApp
{
    /// The application with all its services; no middleware or routes yet (<see cref="UsePlugboard"/>).
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args).UsePlugboardLogDefaults().UsePlugboardShutdown();
        if (builder.Configuration["urls"] is null && builder.Configuration["ASPNETCORE_URLS"] is null)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:8080");
        }
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = ErrorHandling.MaxBodyBytes);

        builder.Services.AddPlugboardCore();
        builder.Services.AddPlugboardTelemetry(builder.Configuration);
        builder.Services.AddWebhookBacklogMetric(builder.Configuration);
        builder.Services.AddPlugboardForwardedHeaders(builder.Configuration);
        builder.Services.ConfigureHttpJsonOptions(o => JsonDefaults.Configure(o.SerializerOptions));
        builder.Services.AddPlugboardErrors();
        builder.Services.AddPlugboardRateLimits();
        builder.Services.AddPlugboardAuthentication();
        builder.Services.AddPlugboardOpenApi();
        builder.Services.AddPlugboardHealth();
        builder.Services.AddPlugboardMcp();
        builder.Services.AddConsole();
        builder.Services.AddEmbed();

        return builder.Build();
    }

    /// The middleware and every route. After <see cref="Startup.InitializeAsync"/>: the rate limits read and
    /// log their settings here, and a bad one must fail the start as one line, like the others.
    public static WebApplication UsePlugboard(this WebApplication app)
    {
        app.UsePlugboardForwardedHeaders();
        app.UsePlugboardErrors();
        app.UsePlugboardRateLimits();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRequestChecks();
        app.UseEmbed();
        app.UseConsole();
        app.MapOpenApi();
        app.MapProjects();
        app.MapAppConnections();
        app.MapConnectionReplacement();
        app.MapConnectionOAuth();
        app.MapGlobalConnections();
        app.MapConnectionDefinitions();
        app.MapSync();
        app.MapMcpServers();
        app.MapMcpProtocol();
        app.MapProxy();
        app.MapOAuthApps();
        app.MapOAuthProviders();
        app.MapWebhooks();
        app.MapApiKeys();
        app.MapPlatforms();
        app.MapAudit();
        app.MapFlows();
        app.MapPieces();
        app.MapEngineTokens();
        app.MapSigningKeys();
        app.MapManagedAuthn();
        app.MapUsers();
        app.MapProjectMembers();
        app.MapWorker();
        app.MapHealth();
        app.MapEmbed();
        app.MapConsole();
        return app;
    }

    /// Builds the application and initialises its storage (settings, migrations, keys, the first platform),
    /// then either runs `rewrap` and exits or serves the routes, with <paramref name="mapMore"/>'s too, until
    /// stopped. A start that cannot succeed exits 1 with one line (see <see cref="StartupFailure"/>).
    public static async Task<int> RunAsync(string[] args, Action<WebApplication>? mapMore = null)
    {
        WebApplication app;
        try
        {
            app = Build(args);
            await Startup.InitializeAsync(app.Services);
        }
        catch (StartupException e) when (StartupFailure.OwnsProcess)
        {
            return await StartupFailure.ExitAsync(e.Message);
        }

        if (args.Contains("rewrap"))
        {
            return await ServerCommands.RewrapAsync(app.Services);
        }

        app.UsePlugboard();
        mapMore?.Invoke(app);
        StartupBanner.LogWhenStarted(app);
        try
        {
            await app.RunAsync();
        }
        catch (IOException e) when (StartupFailure.IsBindFailure(e))
        {
            return await StartupFailure.ExitAsync(e.Message);
        }
        return 0;
    }
}
