using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Plugboard.Server.Data;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Embedding;

/// A server on a hand-moved clock, and a SaaS with its own RSA key registered as a signing key: what the
/// SaaS backend does to mint external tokens for its users.
public abstract class EmbeddingFixture(DatabaseEngine engine) : AppFixture(engine)
{
    public FakeTimeProvider Time { get; } = TestClock.StartingNow();
    public Saas Saas { get; private set; } = null!;

    protected override TimeProvider AppTime => Time;

    protected override async ValueTask StartedAsync() => Saas = await Saas.RegisterAsync(App.Client(), Time);

    protected override ValueTask StoppedAsync()
    {
        Saas?.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed class SqliteEmbeddingFixture() : EmbeddingFixture(DatabaseEngine.Sqlite);

public sealed class PostgresEmbeddingFixture() : EmbeddingFixture(DatabaseEngine.Postgres);

/// The SaaS side of seed 000: its RSA key pair (the public half registered with Plugboard) and the JWTs it mints.
public sealed class Saas(RSA key, string kid, TimeProvider time) : IDisposable
{
    public RSA Key { get; } = key;
    public string Kid { get; } = kid;

    public static async Task<Saas> RegisterAsync(HttpClient admin, TimeProvider time, string? issuer = null, string? audience = null)
    {
        var rsa = RSA.Create(2048);
        var registered = await admin.ApiPostAsync("/api/v1/signing-keys", new
        {
            displayName = "SaaS backend", publicKey = rsa.ExportSubjectPublicKeyInfoPem(), issuer, audience,
        });
        return new Saas(rsa, registered.AssertStatus(HttpStatusCode.Created).Str("id"), time);
    }

    public static Dictionary<string, object> Claims(string externalUserId, string externalProjectId, string? role = null, string? projectDisplayName = null)
    {
        var claims = new Dictionary<string, object>
        {
            ["externalUserId"] = externalUserId,
            ["externalProjectId"] = externalProjectId,
            ["firstName"] = "Ada",
            ["lastName"] = "Lovelace",
        };
        if (role is not null)
        {
            claims["role"] = role;
        }
        if (projectDisplayName is not null)
        {
            claims["projectDisplayName"] = projectDisplayName;
        }
        return claims;
    }

    /// An RS256 token as the SaaS backend mints it: kid = the signing key id, living `lifetime` (default 5 minutes).
    public string Mint(IDictionary<string, object> claims, TimeSpan? lifetime = null, DateTime? notBefore = null, string? issuer = null,
        string? audience = null, string? kid = null, RSA? signWith = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            IssuedAt = now,
            NotBefore = notBefore,
            Expires = lifetime is { } l && l == TimeSpan.Zero ? null : now + (lifetime ?? TimeSpan.FromMinutes(5)),
            Issuer = issuer,
            Audience = audience,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(signWith ?? Key) { KeyId = kid ?? Kid }, SecurityAlgorithms.RsaSha256),
        });
    }

    public void Dispose() => Key.Dispose();
}

public static class ManagedAuthn
{
    public static Task<ApiResponse> ExchangeAsync(this HttpClient client, string externalAccessToken) =>
        client.ApiPostAsync("/api/v1/managed-authn/external-token", new { externalAccessToken });

    /// Exchanges a freshly minted token and returns the session's client and the exchange's answer.
    public static async Task<(HttpClient Session, ApiResponse Answer)> SignInAsync(this EmbeddingFixture fixture, IDictionary<string, object> claims)
    {
        var answer = (await fixture.App.Client(null).ExchangeAsync(fixture.Saas.Mint(claims))).AssertStatus(HttpStatusCode.OK);
        return (fixture.App.Client(answer.Str("token")), answer);
    }
}
