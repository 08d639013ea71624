using System.Net;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Plugboard.Client;
using Plugboard.Server.Data;

namespace Plugboard.Server.Pages;

/// GET /oauth/callback: where the provider sends the Connect popup back. The state must match the flow this browser
/// started (its cookie) and not have been redeemed before; the code is then claimed through the API's upsert as the user who pressed Connect, and the
/// page tells its opener (postMessage to the origin recorded at the start) before it closes.
public static class OAuthCallback
{
    private const int MaxProviderText = 300;

    public static IEndpointRouteBuilder MapOAuthCallback(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(OAuthConnect.CallbackPath, HandleAsync).AllowAnonymous().ExcludeFromDescription();
        return routes;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext http, OAuthConnect flow, PlugboardDb db, ConnectActors actors, ConsoleClient clients,
        string? state, string? code, string? error, [FromQuery(Name = "error_description")] string? errorDescription)
    {
        var pending = await flow.TakeAsync(http, db, state, http.RequestAborted);
        if (pending is null)
        {
            return Page(http, HttpStatusCode.BadRequest, "This Connect window has expired",
                "It was opened more than ten minutes ago, in another browser, or it has been used already. Close it and press Connect again.");
        }
        if (error is not null)
        {
            return Page(http, HttpStatusCode.OK, "Not connected", ProviderRefusal(error, errorDescription), pending.NotifyOrigin);
        }
        if (code is not { Length: > 0 and <= 4096 })
        {
            return Page(http, HttpStatusCode.BadRequest, "Not connected", "The provider sent the window back without a code. Close it and press Connect again.", pending.NotifyOrigin);
        }
        var key = await actors.KeyOfAsync(pending, http.RequestAborted);
        if (key is null)
        {
            return Page(http, HttpStatusCode.OK, "Not connected", "You were signed out while the provider's page was open. Sign in again and press Connect again.", pending.NotifyOrigin);
        }
        try
        {
            var connection = await clients.For(key).AppConnections.UpsertAsync(OAuthConnect.Claim(pending, code), http.RequestAborted);
            return Page(http, HttpStatusCode.OK, "Connected", $"“{connection.DisplayName}” is connected. This window closes by itself.",
                pending.NotifyOrigin, connection);
        }
        catch (PlugboardApiException e)
        {
            return Page(http, HttpStatusCode.OK, "Not connected", e.Message, pending.NotifyOrigin);
        }
    }

    private static string ProviderRefusal(string error, string? description)
    {
        var said = Clip(description) is { Length: > 0 } text ? $" It said: “{text}”." : "";
        return error == "access_denied"
            ? $"Access was declined on the provider's page, so nothing was connected.{said}"
            : $"The provider refused to connect ({Clip(error)}).{said} Close this window and try again, or ask the provider's administrator.";
    }

    private static string? Clip(string? text) => text is { Length: > MaxProviderText } ? text[..MaxProviderText] + "…" : text;

    /// A page of its own (the console's look, its CSP), carrying in data attributes only what the opener may learn.
    private static IResult Page(HttpContext http, HttpStatusCode status, string title, string text, string? notifyOrigin = null, AppConnection? connection = null)
    {
        var headers = http.Response.Headers;
        headers[HeaderNames.ContentSecurityPolicy] = ConsoleApi.ContentSecurityPolicy;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers[HeaderNames.CacheControl] = "no-cache, no-store";
        var e = HtmlEncoder.Default;
        var result = connection is null ? "failed" : "connected";
        var data = notifyOrigin is null ? "" :
            $" data-oauth-result=\"{result}\" data-notify-origin=\"{e.Encode(notifyOrigin)}\" data-message=\"{e.Encode(text)}\""
            + (connection is null ? "" : $" data-connection-id=\"{e.Encode(connection.Id)}\" data-connection-name=\"{e.Encode(connection.ExternalId)}\"");
        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>{e.Encode(title)} · Plugboard</title><link rel="stylesheet" href="{ConsoleApi.AssetsPath}/console.css"></head>
            <body class="popup">
            <main{data}>
            <section class="card narrow">
            <h1>{e.Encode(title)}</h1>
            <p class="{(connection is null ? "error" : "notice")}" role="{(connection is null ? "alert" : "status")}">{e.Encode(text)}</p>
            <p class="hint">You can close this window.</p>
            </section>
            </main>
            <script src="{ConsoleApi.AssetsPath}/console.js"></script>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: (int)status);
    }
}
