using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Embed;
using Plugboard.Server.Platform;
using Plugboard.Server.Projects;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Embedding;

/// POST /embed/session, the embeddable Connect screen's hand-over: the SaaS's signed token (the one the managed-authn
/// route takes) and the host page's origin in, an HttpOnly cookie naming an encrypted session row out; refusals in the
/// contract's body, and nothing provisioned for a refused one.
public abstract class EmbedHandoverTests(EmbeddingFixture fixture)
{
    private const string AllowedOrigin = "https://saas.example";
    private readonly HttpClient _admin = fixture.App.Client();
    private readonly HttpClient _anonymous = fixture.App.Client(null);

    private async Task AllowAsync()
    {
        var platformId = await fixture.App.WithDbAsync(db => db.Platforms.OrderBy(p => p.Created).Select(p => p.Id).FirstAsync());
        (await _admin.ApiPostAsync($"/api/v1/platforms/{platformId}", new { allowedOrigins = new[] { AllowedOrigin, "http://127.0.0.1:5999" } }))
            .AssertStatus(HttpStatusCode.OK);
    }

    private Task<bool> ProjectExistsAsync(string externalId) =>
        fixture.App.WithDbAsync(db => db.Projects.AnyAsync(p => p.ExternalId == externalId));

    private static async Task<ApiResponse> ReadAsync(HttpResponseMessage response) =>
        new(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);

    [Fact]
    public async Task Start_ValidTokenFromAnAllowedOrigin_Is204WithAStrictHttpOnlyCookieAndTheTokenEncrypted()
    {
        await AllowAsync();
        var org = Api.Unique("org");
        var jwt = fixture.Saas.Mint(Saas.Claims(Api.Unique("user"), org, "EDITOR"));
        var before = await fixture.App.WithDbAsync(db => db.EmbedSessions.CountAsync());

        using var response = await _anonymous.PostAsJsonAsync(EmbedApi.SessionPath, new { token = jwt, origin = "HTTPS://Saas.Example/" });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("plugboard_embed=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/embed", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.True(await ProjectExistsAsync(org));
        var rows = await fixture.App.WithDbAsync(db => db.EmbedSessions.AsNoTracking().ToListAsync());
        Assert.Equal(before + 1, rows.Count);
        var row = rows.OrderByDescending(r => r.Created).First();
        Assert.Equal(AllowedOrigin, row.Origin);
        Assert.StartsWith("v1:", row.SessionToken, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", row.SessionToken, StringComparison.Ordinal);
        var cookieValue = cookie.Split(';')[0]["plugboard_embed=".Length..];
        Assert.DoesNotContain(rows, r => r.Id == cookieValue);

        // The screen's pages now know the platform: frame-ancestors are its allowed origins.
        using var page = new HttpRequestMessage(HttpMethod.Get, "/embed/connect?pieceName=%40acme%2Fpiece-x");
        page.Headers.Add("Cookie", $"plugboard_embed={cookieValue}");
        using var shown = await _anonymous.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        var csp = string.Join(";", shown.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains($"frame-ancestors {AllowedOrigin} http://127.0.0.1:5999;", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain(jwt, await shown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_WithoutASession_FramesNowhere()
    {
        using var shown = await _anonymous.GetAsync("/embed/connect?pieceName=x");

        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Contains("frame-ancestors 'none';", string.Join(";", shown.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal("nosniff", string.Join("", shown.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task Start_BadToken_Is401AndNoSession()
    {
        await AllowAsync();
        var before = await fixture.App.WithDbAsync(db => db.EmbedSessions.CountAsync());
        using var other = System.Security.Cryptography.RSA.Create(2048);
        var org = Api.Unique("org");

        foreach (var token in new[] { "not-a-jwt", fixture.Saas.Mint(Saas.Claims("u", org), signWith: other), fixture.Saas.Mint(Saas.Claims("u", org), kid: "nokey") })
        {
            using var response = await _anonymous.PostAsJsonAsync(EmbedApi.SessionPath, new { token, origin = AllowedOrigin });
            (await ReadAsync(response)).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
            Assert.False(response.Headers.Contains("Set-Cookie"));
        }

        Assert.Equal(before, await fixture.App.WithDbAsync(db => db.EmbedSessions.CountAsync()));
        Assert.False(await ProjectExistsAsync(org));
    }

    [Fact]
    public async Task Start_ForeignOrigin_Is403AndNothingProvisioned()
    {
        await AllowAsync();
        var org = Api.Unique("org");
        var jwt = fixture.Saas.Mint(Saas.Claims(Api.Unique("user"), org, "ADMIN"));

        using var response = await _anonymous.PostAsJsonAsync(EmbedApi.SessionPath, new { token = jwt, origin = "https://evil.example" });

        var refused = (await ReadAsync(response)).AssertError(HttpStatusCode.Forbidden, "AUTHORIZATION");
        Assert.Contains("allowedOrigins", refused.Raw, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.False(await ProjectExistsAsync(org));
    }

    [Theory]
    [InlineData("""{"token":"x"}""", "origin")]
    [InlineData("""{"token":"x","origin":""}""", "origin")]
    [InlineData("""{"token":"x","origin":"https://saas.example/path"}""", "origin")]
    [InlineData("""{"token":"x","origin":"null"}""", "origin")]
    [InlineData("""{"origin":"https://saas.example"}""", "token")]
    [InlineData("""{}""", "token")]
    public async Task Start_MissingOrMalformedField_Is400NamingIt(string body, string field) =>
        (await _anonymous.ApiPostRawAsync(EmbedApi.SessionPath, body)).AssertValidation(field);

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"token":5}""")]
    public async Task Start_NotTheRequestShape_Is400NotA500(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _anonymous.PostAsync(EmbedApi.SessionPath, content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Start_FromAnotherSite_Is403()
    {
        await AllowAsync();
        var org = Api.Unique("org");
        using var request = new HttpRequestMessage(HttpMethod.Post, EmbedApi.SessionPath)
        {
            Content = JsonContent.Create(new { token = fixture.Saas.Mint(Saas.Claims("u", org)), origin = AllowedOrigin }),
        };
        request.Headers.Add("Sec-Fetch-Site", "cross-site");

        using var response = await _anonymous.SendAsync(request);

        (await ReadAsync(response)).AssertError(HttpStatusCode.Forbidden, "AUTHORIZATION");
        Assert.False(await ProjectExistsAsync(org));
    }

    [Fact]
    public async Task Screen_Viewer_IsRefusedInWords()
    {
        await AllowAsync();
        var jwt = fixture.Saas.Mint(Saas.Claims(Api.Unique("user"), Api.Unique("org"), "VIEWER"));
        using var started = await _anonymous.PostAsJsonAsync(EmbedApi.SessionPath, new { token = jwt, origin = AllowedOrigin });
        Assert.Equal(HttpStatusCode.NoContent, started.StatusCode);
        var cookie = started.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("plugboard_embed=", StringComparison.Ordinal)).Split(';')[0];

        using var page = new HttpRequestMessage(HttpMethod.Get, "/embed/connect/form?pieceName=%40acme%2Fpiece-x");
        page.Headers.Add("Cookie", cookie);
        using var shown = await _anonymous.SendAsync(page);

        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        var html = await shown.Content.ReadAsStringAsync();
        Assert.Contains("Your role in this project does not allow connecting apps", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", html, StringComparison.Ordinal);
    }
}

public sealed class EmbedHandoverSqliteTests(SqliteEmbeddingFixture fixture) : EmbedHandoverTests(fixture), IClassFixture<SqliteEmbeddingFixture>;

public sealed class EmbedHandoverPostgresTests(PostgresEmbeddingFixture fixture) : EmbedHandoverTests(fixture), IClassFixture<PostgresEmbeddingFixture>;
