using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration.Memory;
using Plugboard.Client;
using Plugboard.Samples.TenantIntegration.Integration;
using Plugboard.Samples.TenantIntegration.Storage;
using Plugboard.Samples.TenantIntegration.Tenancy;

namespace Plugboard.Samples.TenantIntegration;

/// The Gauzy backend's half of seed 003 as an ASP.NET Core app: each tenant manages its Plugboard connections and
/// MCP servers through /api/integration/plugboard, with its own API key (kept encrypted) or the global one.
public static class TenantIntegrationApp
{
    /// The app, built but not started. <paramref name="configure"/> runs before the app registers its services:
    /// tests use it to add configuration (Plugboard:BaseAddress, TenantIntegration:DataDir, …).
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        // The store's SQL is noise at Information. A default under every other source, so that
        // Logging__LogLevel__Microsoft.EntityFrameworkCore=Information still shows it.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = [new("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Warning")],
        });
        configure?.Invoke(builder);

        var options = builder.Configuration.GetSection(TenantIntegrationOptions.Section).Get<TenantIntegrationOptions>() ?? new();
        var dataDir = Path.GetFullPath(options.DataDir ?? Path.Combine(builder.Environment.ContentRootPath, "data", "tenant-integration"));
        Directory.CreateDirectory(dataDir);
        builder.Services.Configure<TenantIntegrationOptions>(builder.Configuration.GetSection(TenantIntegrationOptions.Section));

        // The key ring lives beside the database, so a restart can still decrypt the stored tenant keys. In production
        // protect the ring itself too (ProtectKeysWithCertificate, a cloud key vault): here the files are plain XML.
        builder.Services.AddDataProtection()
            .SetApplicationName("Plugboard.Samples.TenantIntegration")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDir, "keys")));

        builder.Services.AddDbContextFactory<SampleDb>(db => db.UseSqlite($"Data Source={Path.Combine(dataDir, "tenant-integration.db")}"));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ProtectedTenantKeyStore>();
        builder.Services.AddSingleton<ITenantApiKeyStore>(sp => sp.GetRequiredService<ProtectedTenantKeyStore>());
        // Plugboard:BaseAddress and Plugboard:GlobalApiKey (Plugboard__BaseAddress, Plugboard__GlobalApiKey in the
        // environment); each request's key comes from the store above, else the global key.
        builder.Services.AddPlugboardClient();

        // A stand-in for the app's real sign-in: see TenantHeaderAuthentication. Every route needs a tenant.
        builder.Services.AddAuthentication(TenantHeaderAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TenantHeaderAuthentication>(TenantHeaderAuthentication.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(TenantHeaderAuthentication.Policy, TenantHeaderAuthentication.RequireTenant)
            .SetFallbackPolicy(TenantHeaderAuthentication.RequireTenant);
        builder.Services.AddProblemDetails();

        var app = builder.Build();
        using (var db = app.Services.GetRequiredService<IDbContextFactory<SampleDb>>().CreateDbContext())
        {
            db.Database.EnsureCreated();
        }
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapPlugboardIntegration();
        return app;
    }
}

/// Settings of the sample, section TenantIntegration.
public sealed class TenantIntegrationOptions
{
    public const string Section = "TenantIntegration";

    /// Where the SQLite store and the Data Protection key ring live (default: ./data/tenant-integration under the
    /// content root, beside a Plugboard server started from the same directory but apart from its files).
    public string? DataDir { get; set; }

    /// The piece the tenants' connections are for. Any npm-style name works while the server does not require
    /// registered pieces (PLUGBOARD_STRICT_PIECES off); with it on, register the piece first or name a registered one.
    public string PieceName { get; set; } = "ever-gauzy";

    /// Written into each connection's metadata as appVersion (the seed's gauzyVersion).
    public string AppVersion { get; set; } = typeof(TenantIntegrationApp).Assembly.GetName().Version?.ToString() ?? "0.0.0";
}
