using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;
using Plugboard.Server.Embedding;
using Plugboard.Server.Http;
using Plugboard.Server.Platform;

namespace Plugboard.Server.Embed;

/// What the popup's script posts once the host page answered its `plugboard:ready`: the SaaS's signed external token
/// (the JWT its backend minted, the same the managed-authn route takes) and the origin the browser reported for the
/// message that carried it (`event.origin`).
public sealed record EmbedSessionRequest(string? Token, string? Origin);

/// POST /embed/session: the token is exchanged exactly as POST /api/v1/managed-authn/external-token does (same checks,
/// same budgets, same provisioning), but only for a host origin the token's platform allows, and the session token stays
/// on the server: the popup gets an HttpOnly cookie naming an encrypted row.
public static class EmbedHandover
{
    public static async Task<Results<NoContent, ApiErrorResult>> StartAsync(
        HttpContext http, ExternalTokens external, EmbeddedProvisioning provisioning, SessionTokens sessions, EmbeddingOptions options,
        TokenExchangeBudgets budgets, PlugboardDb db, EmbedSessions embedSessions, EmbedSessionRequest? body, CancellationToken ct)
    {
        // Only the popup's own script posts here: a browser says where a request comes from, and a page elsewhere may not
        // start a session in this browser with a token of its choosing.
        if (http.Request.Headers["Sec-Fetch-Site"].ToString() is { Length: > 0 } site && site != "same-origin")
        {
            return new ApiErrorResult(ApiError.Authorization("The Connect screen's session is started by its own page only."));
        }
        if (string.IsNullOrEmpty(body?.Token))
        {
            return new ApiErrorResult(ApiError.Validation("token is required: the external token your backend signed for this user.", "token"));
        }
        if (string.IsNullOrEmpty(body.Origin))
        {
            return new ApiErrorResult(ApiError.Validation("origin is required: the origin of the page that opened the Connect screen.", "origin"));
        }
        if (AllowedOrigins.Normalize(body.Origin) is not { } origin)
        {
            return new ApiErrorResult(ApiError.Validation("origin must be a web origin such as https://app.example.com.", "origin"));
        }
        var (exchanged, refused) = await ManagedAuthnApi.ExchangeAsync(http, external, provisioning, sessions, options, budgets, body.Token,
            async who => await OriginAllowedAsync(db, who.PlatformId, origin, ct) ? null
                : ApiError.Authorization($"{origin} may not open this Connect screen: it is not in the platform's allowedOrigins."),
            ct);
        if (exchanged is null)
        {
            return refused!;
        }
        await embedSessions.CreateAsync(http, exchanged.Who.PlatformId, exchanged.Project.Id, exchanged.User.Id, origin, exchanged.Token, exchanged.ExpiresAt, ct);
        return TypedResults.NoContent();
    }

    public static async Task<bool> OriginAllowedAsync(PlugboardDb db, string platformId, string origin, CancellationToken ct)
    {
        var stored = await db.Platforms.AsNoTracking().Where(p => p.Id == platformId).Select(p => p.AllowedOrigins).FirstOrDefaultAsync(ct);
        return AllowedOrigins.Parse(stored).Contains(origin, StringComparer.Ordinal);
    }
}
