using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Plugboard.Server.Maintenance;

namespace Plugboard.Server.Pages;

/// The web console at /console: Razor components rendered on the server (static SSR, no interactivity), plain HTML
/// forms with antiforgery tokens, a CSS file and a little JavaScript served from the assembly, and a strict
/// Content-Security-Policy on every page (nothing inline, nothing from elsewhere). /embed is left for the Connect flow.
public static class ConsoleApi
{
    public const string Root = "/console";
    public const string SignInPath = "/console/sign-in";
    public const string AssetsPath = "/console/assets";
    public const string PlatformsPath = "/console/platforms";

    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; connect-src 'self'";

    public static IServiceCollection AddConsole(this IServiceCollection services)
    {
        services.AddRazorComponents();
        services.AddScoped<ConsoleSessions>();
        services.AddSingleton<ConsoleClient>();
        services.AddSingleton<OAuthConnect>();
        services.AddScoped<ConnectActors>();
        services.AddScoped<IConnectActor, ConsoleConnectActor>();
        services.AddSingleton<ISecretStore, ConsoleRewrap>();

        // Antiforgery tokens are Data Protection payloads: every replica must read the same key ring, so it lives in
        // the database, encrypted with the server's own keys.
        services.AddDataProtection().SetApplicationName("Plugboard");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
        {
            o.XmlRepository = new ConsoleKeyRepository(sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<TimeProvider>());
            o.XmlEncryptor = new ConsoleKeyEncryptor(sp);
        }));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "plugboard_console_af";
            o.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return services;
    }

    /// The console's headers and sign-in gate, its assets, and antiforgery; call after authentication.
    public static WebApplication UseConsole(this WebApplication app)
    {
        app.UseWhen(http => http.Request.Path.StartsWithSegments(Root), branch => branch.Use(GateAsync));
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new EmbeddedFileProvider(typeof(ConsoleApi).Assembly, "Plugboard.Console"),
            RequestPath = AssetsPath,
        });
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapConsole(this WebApplication app)
    {
        app.MapRazorComponents<App>();
        app.MapOAuthCallback();
        return app;
    }

    private static async Task GateAsync(HttpContext http, Func<Task> next)
    {
        var path = http.Request.Path;
        var headers = http.Response.Headers;
        headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (path.StartsWithSegments(AssetsPath))
        {
            await next();
            return;
        }
        // The same values antiforgery writes on a page with a form, so it has nothing to override.
        headers[HeaderNames.CacheControl] = "no-cache, no-store";
        headers[HeaderNames.Pragma] = "no-cache";
        if (path.StartsWithSegments(SignInPath))
        {
            await next();
            return;
        }
        var session = await http.RequestServices.GetRequiredService<ConsoleSessions>().FindAsync(http, http.RequestAborted);
        if (session is null)
        {
            http.Response.Redirect(SignInPath);
            return;
        }
        // The operator key opens only the Platforms page; a platform key never opens it.
        if (session.IsOperator != path.StartsWithSegments(PlatformsPath) && !path.StartsWithSegments("/console/sign-out"))
        {
            http.Response.Redirect(session.IsOperator ? PlatformsPath : "/console/projects");
            return;
        }
        await next();
    }
}
