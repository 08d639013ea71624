using System.Net;
using System.Security.Cryptography;
using Plugboard.Server.Embedding;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Embedding;

/// GET/POST/DELETE /api/v1/signing-keys.
public abstract class SigningKeysApiTests(EmbeddingFixture fixture)
{
    private readonly HttpClient _admin = fixture.App.Client();

    [Fact]
    public async Task Create_WithoutPublicKey_GeneratesAPairAndShowsThePrivateKeyOnlyOnce()
    {
        var created = (await _admin.ApiPostAsync("/api/v1/signing-keys", new { displayName = "Generated" })).AssertStatus(HttpStatusCode.Created);
        var privatePem = created.Str("privateKey");
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", privatePem, StringComparison.Ordinal);

        var list = (await _admin.ApiGetAsync("/api/v1/signing-keys?limit=100")).AssertStatus(HttpStatusCode.OK);
        Assert.DoesNotContain("PRIVATE KEY", list.Raw, StringComparison.Ordinal);
        var stored = await fixture.App.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            System.Linq.Queryable.Select(db.SigningKeys, k => k.PublicKey)));
        Assert.DoesNotContain(stored, k => k.Contains("PRIVATE", StringComparison.Ordinal));

        // The private key it gave really signs tokens the exchange accepts.
        using var rsa = RSA.Create();
        rsa.ImportFromPem(privatePem);
        using var saas = new Saas(rsa, created.Str("id"), fixture.Time);
        (await fixture.App.Client(null).ExchangeAsync(saas.Mint(Saas.Claims(Api.Unique("user"), Api.Unique("org"))))).AssertStatus(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("not a pem")]
    [InlineData("private")]
    [InlineData("short")]
    public async Task Create_UnacceptablePublicKey_IsAValidationError(string kind)
    {
        using var rsa = RSA.Create(kind == "short" ? 1024 : 2048);
        var pem = kind switch
        {
            "private" => rsa.ExportPkcs8PrivateKeyPem(),
            "short" => rsa.ExportSubjectPublicKeyInfoPem(),
            _ => "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----",
        };
        var response = (await _admin.ApiPostAsync("/api/v1/signing-keys", new { displayName = "Bad", publicKey = pem })).AssertValidation("publicKey");
        Assert.DoesNotContain("PRIVATE", response.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_UnknownKey_IsNotFound() =>
        (await _admin.ApiDeleteAsync("/api/v1/signing-keys/nope")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
}

public sealed class SigningKeysApiSqliteTests(SqliteEmbeddingFixture fixture) : SigningKeysApiTests(fixture), IClassFixture<SqliteEmbeddingFixture>;

public sealed class SigningKeysApiPostgresTests(PostgresEmbeddingFixture fixture) : SigningKeysApiTests(fixture), IClassFixture<PostgresEmbeddingFixture>;
