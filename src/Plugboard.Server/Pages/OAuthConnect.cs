using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Plugboard.Client;
using Plugboard.Server.Data;

namespace Plugboard.Server.Pages;

/// What the user asked to connect: the piece's OAuth2 definition, which app (the platform's, or their own client id and
/// secret), and the connection's names.
public sealed record OAuthConnectRequest(
    string ProjectId, string PieceName, string? PieceVersion, PieceAuthDefinition Auth, bool PlatformApp, string ClientId,
    string? ClientSecret, string DisplayName, string ExternalId)
{
    public override string ToString() => $"OAuthConnectRequest {{ PieceName = {PieceName}, ExternalId = {ExternalId}, <redacted> }}";
}

/// Everything the callback needs, sealed with Data Protection (shared by every replica) into a cookie of its own until
/// the provider sends the user back: nothing is stored server-side, and the cookie ties the state to this browser.
/// The session named here is looked up again at the callback, so signing out ends a Connect still under way.
internal sealed record PendingConnect(
    string State, string SessionKind, string SessionId, string ProjectId, string PieceName, string? PieceVersion, bool PlatformApp,
    string ClientId, string? ClientSecret, string? Verifier, string RedirectUrl, string? TokenUrl, string? Provider, string? Scope,
    string DisplayName, string ExternalId, string NotifyOrigin)
{
    public override string ToString() => $"PendingConnect {{ PieceName = {PieceName}, ExternalId = {ExternalId}, <redacted> }}";
}

/// The OAuth2 Connect flow of the console and the embedded Connect screen: the consent URL with PKCE from the API,
/// a pending-flow cookie, then (at /oauth/callback) the code claimed through the API's upsert.
public sealed class OAuthConnect(IDataProtectionProvider protection, TimeProvider time)
{
    public const string CallbackPath = "/oauth/callback";
    public const string ConsoleSession = "console";
    public const string EmbedSession = "embed";
    private const string CookiePrefix = "plugboard_oauth_";
    private const int MaxCookieLength = 3800;
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private ITimeLimitedDataProtector Protector =>
        protection.CreateProtector("Plugboard.OAuthConnect.v1").ToTimeLimitedDataProtector();

    /// Asks the API for the consent URL and sets the pending-flow cookie; the URL to send the popup to, or the API's
    /// refusal in words.
    public async Task<(string? AuthorizationUrl, string? Error)> StartAsync(
        HttpContext http, PlugboardClient api, OAuthConnectRequest request, string sessionKind, string sessionId, string notifyOrigin)
    {
        var redirectUrl = $"{http.Request.Scheme}://{http.Request.Host}{CallbackPath}";
        AuthorizationUrlResponse consent;
        try
        {
            consent = await api.AppConnections.BuildAuthorizationUrlAsync(new AuthorizationUrlRequest
            {
                PieceName = request.PieceName,
                PieceVersion = request.PieceVersion,
                ProjectId = request.ProjectId,
                ClientId = request.ClientId,
                RedirectUrl = redirectUrl,
                Provider = request.Auth.Provider,
                Scopes = request.Auth.Scope,
                AuthorizeUrl = request.Auth.AuthUrl,
                Pkce = request.Auth.Pkce,
            }, http.RequestAborted);
        }
        catch (PlugboardApiException e)
        {
            return (null, e.Message);
        }
        var pending = new PendingConnect(
            consent.State, sessionKind, sessionId, request.ProjectId, request.PieceName, request.PieceVersion, request.PlatformApp,
            request.ClientId, request.PlatformApp ? null : request.ClientSecret, consent.CodeVerifier, redirectUrl, request.Auth.TokenUrl,
            request.Auth.Provider, request.Auth.Scope is { Count: > 0 } scopes ? string.Join(' ', scopes) : null,
            request.DisplayName, request.ExternalId, notifyOrigin);
        var sealedValue = Protector.Protect(JsonSerializer.Serialize(pending), time.GetUtcNow() + Lifetime);
        if (sealedValue.Length > MaxCookieLength)
        {
            return (null, "The values entered are too long to carry through the provider's consent page; shorten them.");
        }
        http.Response.Cookies.Append(CookieName(consent.State), sealedValue, CookieOptions(http));
        return (consent.AuthorizationUrl, null);
    }

    /// The flow this browser started for <paramref name="state"/>, or null. A state works once: its cookie is removed and
    /// its hash recorded in the database, so the same redirect arriving again (on any replica) finds it used.
    internal async Task<PendingConnect?> TakeAsync(HttpContext http, PlugboardDb db, string? state, CancellationToken ct)
    {
        if (state is not { Length: > 0 and <= 200 } || !http.Request.Cookies.TryGetValue(CookieName(state), out var sealedValue) || sealedValue is null)
        {
            return null;
        }
        http.Response.Cookies.Delete(CookieName(state), CookieOptions(http));
        var now = time.GetUtcNow();
        PendingConnect? pending;
        DateTimeOffset expires;
        try
        {
            pending = JsonSerializer.Deserialize<PendingConnect>(Protector.Unprotect(sealedValue, out expires));
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
        if (pending is null || expires <= now || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(pending.State), Encoding.UTF8.GetBytes(state)))
        {
            return null;
        }
        return await ClaimOnceAsync(db, state, expires, now, ct) ? pending : null;
    }

    private static async Task<bool> ClaimOnceAsync(PlugboardDb db, string state, DateTimeOffset expires, DateTimeOffset now, CancellationToken ct)
    {
        var claim = db.OAuthConnectClaims.Add(new OAuthConnectClaim { Id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(state))), Expires = expires.UtcDateTime });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            claim.State = EntityState.Detached;
            return false;
        }
        await db.OAuthConnectClaims.Where(c => c.Expires <= now.UtcDateTime).ExecuteDeleteAsync(ct);
        return true;
    }

    /// The upsert that claims the code, as the API receives it from any client.
    internal static UpsertAppConnectionRequest Claim(PendingConnect pending, string code)
    {
        OAuth2Credentials value = pending.PlatformApp ? new PlatformOAuth2Value() : new OAuth2Value();
        value = value with
        {
            ClientId = pending.ClientId,
            ClientSecret = pending.ClientSecret,
            RedirectUrl = pending.RedirectUrl,
            Code = code,
            CodeChallenge = pending.Verifier,
            TokenUrl = pending.TokenUrl,
            Provider = pending.Provider,
            Scope = pending.Scope,
        };
        return new UpsertAppConnectionRequest
        {
            ProjectId = pending.ProjectId,
            ExternalId = pending.ExternalId,
            DisplayName = pending.DisplayName,
            PieceName = pending.PieceName,
            PieceVersion = pending.PieceVersion,
            Value = value,
        };
    }

    // One cookie a flow (two tabs may connect at once), named from the state's hash so the name holds nothing usable.
    private static string CookieName(string state) =>
        CookiePrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(state)))[..16];

    // Lax: the provider's redirect back is a cross-site top-level GET, which a Strict cookie would not come with.
    private static CookieOptions CookieOptions(HttpContext http) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Path = CallbackPath,
        Secure = http.Request.IsHttps,
        IsEssential = true,
        MaxAge = Lifetime,
    };
}
