using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;
using Plugboard.Server.Data;
using Plugboard.Server.Embedding;
using Plugboard.Server.Http;
using Plugboard.Server.Maintenance;
using Plugboard.Server.Pages;
using Plugboard.Server.Platform;

namespace Plugboard.Server.Embed;

/// The embeddable Connect screen at /embed (issue 16): the host page's SDK (/embed/plugboard-embed.js) opens
/// /embed/connect in a popup, hands it the SaaS's signed external token by postMessage (never in a URL), and the popup
/// trades it at POST /embed/session for a short-lived session cookie; /embed/connect/form is then the screen itself.
/// Every /embed page sends a strict CSP whose frame-ancestors are the platform's allowed origins once the session says
/// which platform it is, and 'none' before.
public static class EmbedApi
{
    public const string Root = "/embed";
    public const string ConnectPath = "/embed/connect";
    public const string FormPath = "/embed/connect/form";
    public const string SessionPath = "/embed/session";
    public const string SdkFile = "plugboard-embed.js";
    public const string ScreenScript = "embed-connect.js";

    public static IServiceCollection AddEmbed(this IServiceCollection services)
    {
        services.AddScoped<EmbedSessions>();
        services.AddScoped<IConnectActor, EmbedConnectActor>();
        services.AddSingleton<ISecretStore, EmbedRewrap>();
        return services;
    }

    /// The /embed headers and its two scripts (served from the assembly); call before the console's antiforgery.
    public static WebApplication UseEmbed(this WebApplication app)
    {
        app.UseWhen(http => http.Request.Path.StartsWithSegments(Root), branch => branch.Use(HeadersAsync));
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new EmbeddedFileProvider(typeof(EmbedApi).Assembly, "Plugboard.Embed"),
            RequestPath = Root,
        });
        return app;
    }

    public static WebApplication MapEmbed(this WebApplication app)
    {
        app.MapPost(SessionPath, EmbedHandover.StartAsync).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery();
        return app;
    }

    public static string ContentSecurityPolicy(IReadOnlyList<string> frameAncestors) =>
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; " +
        $"frame-ancestors {(frameAncestors.Count == 0 ? "'none'" : string.Join(' ', frameAncestors))}; base-uri 'none'; connect-src 'self'";

    private static async Task HeadersAsync(HttpContext http, Func<Task> next)
    {
        var headers = http.Response.Headers;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (http.Request.Path.Value?.EndsWith(".js", StringComparison.Ordinal) == true)
        {
            await next();
            return;
        }
        IReadOnlyList<string> ancestors = [];
        if (await http.RequestServices.GetRequiredService<EmbedSessions>().FindAsync(http, http.RequestAborted) is { } session)
        {
            var stored = await http.RequestServices.GetRequiredService<PlugboardDb>().Platforms.AsNoTracking()
                .Where(p => p.Id == session.PlatformId).Select(p => p.AllowedOrigins).FirstOrDefaultAsync(http.RequestAborted);
            ancestors = AllowedOrigins.Parse(stored);
        }
        headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy(ancestors);
        headers[HeaderNames.CacheControl] = "no-cache, no-store";
        headers[HeaderNames.Pragma] = "no-cache";
        await next();
    }
}
