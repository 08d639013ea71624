using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;

namespace Plugboard.Server.Embed;

/// The Connect screen's sessions, in the database so any replica answers the popup's next request. The cookie carries a
/// random 32-byte token (HttpOnly, SameSite=Strict, path /embed); the row is found by its SHA-256 and holds the embedded
/// user's session token as AES-256-GCM ciphertext bound to the row. A session lives minutes: one Connect, not a login.
public sealed class EmbedSessions(PlugboardDb db, SecretProtector protector, TimeProvider time)
{
    public const string CookieName = "plugboard_embed";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
    private const string ItemKey = "plugboard.embed.session";

    public async Task CreateAsync(HttpContext http, string platformId, string projectId, string userId, string origin, string sessionToken,
        DateTime tokenExpires, CancellationToken ct)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var id = HashOf(token);
        var now = time.GetUtcNow().UtcDateTime;
        var expires = now + Lifetime < tokenExpires ? now + Lifetime : tokenExpires;
        // Expired rows go as new ones come: the table holds only live popups.
        await db.EmbedSessions.Where(s => s.Expires <= now).ExecuteDeleteAsync(ct);
        db.EmbedSessions.Add(new EmbedSession
        {
            Id = id,
            PlatformId = platformId,
            ProjectId = projectId,
            UserId = userId,
            Origin = origin,
            SessionToken = protector.Protect(sessionToken, ContextOf(id)),
            Created = now,
            Expires = expires,
        });
        await db.SaveChangesAsync(ct);
        http.Response.Cookies.Append(CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = EmbedApi.Root,
            Secure = http.Request.IsHttps,
            IsEssential = true,
            MaxAge = expires - now,
        });
    }

    /// The request's live session with its token decrypted, or null; found once per request.
    public async Task<EmbedSignedIn?> FindAsync(HttpContext http, CancellationToken ct)
    {
        if (http.Items.TryGetValue(ItemKey, out var found))
        {
            return found as EmbedSignedIn;
        }
        EmbedSignedIn? result = null;
        if (http.Request.Cookies.TryGetValue(CookieName, out var token) && token is { Length: > 0 and <= 100 })
        {
            var id = HashOf(token);
            var now = time.GetUtcNow().UtcDateTime;
            var row = await db.EmbedSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.Expires > now, ct);
            if (row is not null)
            {
                result = protector.TryUnprotect(row.SessionToken, ContextOf(id)) is { } sessionToken
                    ? new EmbedSignedIn(id, row.PlatformId, row.ProjectId, row.UserId, row.Origin, sessionToken)
                    : null;
            }
        }
        http.Items[ItemKey] = result;
        return result;
    }

    /// The session token of the live session <paramref name="sessionId"/>, or null: for the provider's redirect back to
    /// /oauth/callback, which comes without this path's cookie.
    public async Task<string?> KeyOfAsync(string sessionId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var row = await db.EmbedSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId && s.Expires > now, ct);
        return row is null ? null : protector.TryUnprotect(row.SessionToken, ContextOf(sessionId));
    }

    /// The session the header middleware found for this request, or null.
    public static EmbedSignedIn? Current(HttpContext? http) =>
        http is not null && http.Items.TryGetValue(ItemKey, out var found) ? found as EmbedSignedIn : null;

    private static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    internal static SecretContext ContextOf(string sessionId) => new("embed", sessionId, "session_token");
}

/// The popup's embedded user: their project, the checked host origin, and the session token the screen acts with.
public sealed record EmbedSignedIn(string SessionId, string PlatformId, string ProjectId, string UserId, string Origin, string SessionToken)
{
    public override string ToString() => $"EmbedSignedIn {{ PlatformId = {PlatformId}, ProjectId = {ProjectId}, Origin = {Origin} }}";
}
