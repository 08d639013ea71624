using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;

namespace Plugboard.Server.Pages;

/// Console sign-in sessions, in the database so any replica can answer the next request. The cookie carries only a
/// random 32-byte token; the row is found by its SHA-256, so a read of the table gives no usable cookie, and the API
/// key inside the row is AES-256-GCM ciphertext bound to that row (<see cref="SecretContext"/>).
public sealed class ConsoleSessions(PlugboardDb db, SecretProtector protector, TimeProvider time)
{
    public const string CookieName = "plugboard_console";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);
    private const string ItemKey = "plugboard.console.session";
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(5);

    /// Stores a session for a key the API has just accepted, and sets its cookie.
    public async Task CreateAsync(HttpContext http, string apiKey, string? platformId, bool isOperator, CancellationToken ct)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var id = HashOf(token);
        var now = time.GetUtcNow().UtcDateTime;
        db.ConsoleSessions.Add(new ConsoleSession
        {
            Id = id,
            PlatformId = platformId,
            IsOperator = isOperator,
            ApiKey = protector.Protect(apiKey, ContextOf(id)),
            Created = now,
            Expires = now + Lifetime,
            LastSeen = now,
        });
        await db.SaveChangesAsync(ct);
        http.Response.Cookies.Append(CookieName, token, CookieOptions(http));
    }

    /// The request's session with its key decrypted, or null (no cookie, an unknown or expired token). Expiry slides:
    /// a session seen again gets another <see cref="Lifetime"/>, written at most every few minutes.
    public async Task<SignedIn?> FindAsync(HttpContext http, CancellationToken ct)
    {
        if (http.Items.TryGetValue(ItemKey, out var found))
        {
            return found as SignedIn;
        }
        SignedIn? result = null;
        if (http.Request.Cookies.TryGetValue(CookieName, out var token) && token is { Length: > 0 and <= 100 })
        {
            var id = HashOf(token);
            var now = time.GetUtcNow().UtcDateTime;
            var row = await db.ConsoleSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.Expires > now, ct);
            if (row is not null)
            {
                if (now - row.LastSeen > TouchEvery)
                {
                    await db.ConsoleSessions.Where(s => s.Id == id)
                        .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeen, now).SetProperty(x => x.Expires, now + Lifetime), ct);
                }
                result = protector.TryUnprotect(row.ApiKey, ContextOf(id)) is { } key ? new SignedIn(id, row.PlatformId, row.IsOperator, key) : null;
            }
        }
        http.Items[ItemKey] = result;
        return result;
    }

    /// The API key of the live session <paramref name="sessionId"/>, or null (signed out, expired): for a request that
    /// comes without the Strict cookie, such as the provider's redirect back to /oauth/callback.
    public async Task<string?> KeyOfAsync(string sessionId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var row = await db.ConsoleSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId && s.Expires > now, ct);
        return row is null ? null : protector.TryUnprotect(row.ApiKey, ContextOf(sessionId));
    }


    /// Deletes the request's session row and its cookie (and any expired rows while here).
    public async Task SignOutAsync(HttpContext http, CancellationToken ct)
    {
        if (http.Request.Cookies.TryGetValue(CookieName, out var token) && token is { Length: > 0 and <= 100 })
        {
            var id = HashOf(token);
            var now = time.GetUtcNow().UtcDateTime;
            await db.ConsoleSessions.Where(s => s.Id == id || s.Expires <= now).ExecuteDeleteAsync(ct);
        }
        http.Response.Cookies.Delete(CookieName, CookieOptions(http));
        http.Items.Remove(ItemKey);
    }

    /// The session the gate found for this request, or null (the sign-in page).
    public static SignedIn? Peek(HttpContext? http) =>
        http is not null && http.Items.TryGetValue(ItemKey, out var found) ? found as SignedIn : null;

    public static SignedIn Current(HttpContext http) =>
        http.Items.TryGetValue(ItemKey, out var found) && found is SignedIn session
            ? session
            : throw new InvalidOperationException("A console page ran without a session: ConsoleApi's gate should have redirected.");

    private static CookieOptions CookieOptions(HttpContext http) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        Secure = http.Request.IsHttps,
        IsEssential = true,
    };

    private static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    internal static SecretContext ContextOf(string sessionId) => new("console", sessionId, "api_key");
}

/// The signed-in user: which platform (or the operator), and the key the console calls the API with.
public sealed record SignedIn(string SessionId, string? PlatformId, bool IsOperator, string ApiKey)
{
    public override string ToString() => $"SignedIn {{ PlatformId = {PlatformId}, IsOperator = {IsOperator} }}";
}
