using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Embedding;

/// A signed external token's claims become project, user and member rows, so they must be text the server
/// can store and read back, as much as any request body.
public abstract class ExternalTokenTextTests(EmbeddingFixture fixture)
{
    /// A NUL is the server's own 400; a lone surrogate already fails the token library's parse (401, "not a
    /// signed JWT"). Neither is a 500, and neither stores a row.
    [Theory]
    [InlineData("externalProjectId", "a\\u0000b", HttpStatusCode.BadRequest)]
    [InlineData("externalUserId", "\\u0000", HttpStatusCode.BadRequest)]
    [InlineData("lastName", "x\\u0000", HttpStatusCode.BadRequest)]
    [InlineData("firstName", "Ada\\ud800", HttpStatusCode.Unauthorized)]
    [InlineData("projectDisplayName", "\\udc00", HttpStatusCode.Unauthorized)]
    public async Task Exchange_ClaimWithNulOrLoneSurrogate_IsRefusedAndStoresNothing(string claim, string escapedValue, HttpStatusCode status)
    {
        var externalProjectId = Api.Unique("org");
        var claims = new Dictionary<string, string>
        {
            ["externalUserId"] = Api.Unique("u"), ["externalProjectId"] = externalProjectId, ["firstName"] = "Ada", ["lastName"] = "L",
        };
        claims[claim] = "§";
        // Written by hand: a JWT library refuses to write a lone surrogate, a careless backend need not.
        var payload = "{" + string.Join(',', claims.Select(c => $"\"{c.Key}\":\"{c.Value}\"")).Replace("§", escapedValue, StringComparison.Ordinal) +
            $",\"exp\":{fixture.Time.GetUtcNow().ToUnixTimeSeconds() + 300}}}";

        var response = await fixture.App.Client(null).ApiPostAsync("/api/v1/managed-authn/external-token", new { externalAccessToken = Sign(payload) });

        if (status == HttpStatusCode.BadRequest)
        {
            response.AssertValidation("externalAccessToken");
        }
        else
        {
            response.AssertError(status, "AUTHENTICATION");
        }
        Assert.DoesNotContain("Ada", response.Raw, StringComparison.Ordinal);
        var listed = (await fixture.App.Client().ApiGetAsync("/api/v1/projects?limit=100")).AssertStatus(HttpStatusCode.OK);
        Assert.DoesNotContain(externalProjectId, listed.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exchange_DisplayNameLongerThan255EndingInAPair_IsClippedWithoutSplittingIt()
    {
        var externalProjectId = Api.Unique("org");
        var claims = Saas.Claims(Api.Unique("u"), externalProjectId, projectDisplayName: new string('x', 254) + "😀");

        (await fixture.App.Client(null).ApiPostAsync("/api/v1/managed-authn/external-token", new { externalAccessToken = fixture.Saas.Mint(claims) }))
            .AssertStatus(HttpStatusCode.OK);

        var listed = (await fixture.App.Client().ApiGetAsync($"/api/v1/projects?externalId={externalProjectId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(new string('x', 254), Assert.Single(listed.Body.GetProperty("data").EnumerateArray()).GetProperty("displayName").GetString());
    }

    private string Sign(string payloadJson)
    {
        var header = Base64UrlEncoder.Encode($$"""{"alg":"RS256","typ":"JWT","kid":"{{fixture.Saas.Kid}}"}""");
        var payload = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payloadJson));
        var signature = fixture.Saas.Key.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{payload}.{Base64UrlEncoder.Encode(signature)}";
    }
}

public sealed class ExternalTokenTextSqliteTests(SqliteEmbeddingFixture fixture) : ExternalTokenTextTests(fixture), IClassFixture<SqliteEmbeddingFixture>;

public sealed class ExternalTokenTextPostgresTests(PostgresEmbeddingFixture fixture) : ExternalTokenTextTests(fixture), IClassFixture<PostgresEmbeddingFixture>;
