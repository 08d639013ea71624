using System.Net;
using System.Security.Cryptography;
using System.Text;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Embedding;

/// POST /api/v1/managed-authn/external-token with real RS256 tokens the test signs as the SaaS would.
public abstract class ManagedAuthnTests(EmbeddingFixture fixture)
{
    private readonly HttpClient _admin = fixture.App.Client();
    private readonly HttpClient _anonymous = fixture.App.Client(null);

    [Fact]
    public async Task SeedFlow_BackendProvisionsThenFrontEndExchanges_SeesTheGlobalConnectionWithoutItsValue()
    {
        // The SaaS backend (seed 000): get or create the project, upsert the global connection, mint the JWT.
        var org = Api.Unique("org");
        var projectId = await _admin.CreateProjectAsync(org);
        var secret = $"gel_live_{Guid.NewGuid():N}";
        (await _admin.ApiPostAsync("/api/v1/global-connections", Api.Global($"gelato_{org}", [projectId], secret))).AssertStatus(HttpStatusCode.Created);
        var jwt = fixture.Saas.Mint(Saas.Claims(Api.Unique("user"), org));

        // The embedded front end exchanges it and lists its project's connections with the session token.
        var answer = (await _anonymous.ExchangeAsync(jwt)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(projectId, answer.Str("projectId"));
        Assert.Equal("EDITOR", answer.Str("projectRole"));
        var session = fixture.App.Client(answer.Str("token"));
        var list = (await session.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}")).AssertStatus(HttpStatusCode.OK);

        var gelato = Assert.Single(list.Body.GetProperty("data").EnumerateArray(), c => c.GetProperty("externalId").GetString() == $"gelato_{org}");
        Assert.Equal("PLATFORM", gelato.GetProperty("scope").GetString());
        Assert.False(gelato.TryGetProperty("value", out _));
        Assert.DoesNotContain(secret, list.Raw, StringComparison.Ordinal);
        // The session is bound to its project: no projectId needed, another project's is "not found".
        (await session.ApiGetAsync("/api/v1/app-connections")).AssertStatus(HttpStatusCode.OK);
        var other = await _admin.CreateProjectAsync();
        (await session.ApiGetAsync($"/api/v1/app-connections?projectId={other}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
    }

    [Fact]
    public async Task Exchange_UnknownProject_ProvisionsItWithTheDisplayNameAndThePreselectedGlobals()
    {
        var preselected = Api.Unique("pre");
        (await _admin.ApiPostAsync("/api/v1/global-connections", Api.Global(preselected, [], "pre-secret", preSelect: true))).AssertStatus(HttpStatusCode.Created);
        var org = Api.Unique("org");

        var (session, answer) = await fixture.SignInAsync(Saas.Claims(Api.Unique("user"), org, projectDisplayName: "Acme Corp"));

        var project = (await _admin.ApiGetAsync($"/api/v1/projects/{answer.Str("projectId")}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("Acme Corp", project.Str("displayName"));
        Assert.Equal(org, project.Str("externalId"));
        var list = (await session.ApiGetAsync("/api/v1/app-connections")).AssertStatus(HttpStatusCode.OK);
        Assert.Contains(list.Body.GetProperty("data").EnumerateArray(), c => c.GetProperty("externalId").GetString() == preselected);
    }

    [Fact]
    public async Task Exchange_SameUserAgainWithAnotherRole_UpdatesTheMembershipNotDuplicates()
    {
        var (user, org) = (Api.Unique("user"), Api.Unique("org"));
        var (_, first) = await fixture.SignInAsync(Saas.Claims(user, org, "ADMIN"));
        var (viewer, second) = await fixture.SignInAsync(Saas.Claims(user, org, "VIEWER"));

        Assert.Equal(first.Str("id"), second.Str("id"));
        Assert.Equal(first.Str("projectId"), second.Str("projectId"));
        var members = (await _admin.ApiGetAsync($"/api/v1/projects/{first.Str("projectId")}/members")).AssertStatus(HttpStatusCode.OK);
        var member = Assert.Single(members.Body.GetProperty("data").EnumerateArray());
        Assert.Equal("VIEWER", member.GetProperty("role").GetString());
        // The older ADMIN session now acts as what the membership says: a viewer.
        var oldSession = fixture.App.Client(first.Str("token"));
        (await oldSession.ApiPostAsync("/api/v1/app-connections", Api.SecretText(first.Str("projectId"), "x", "y"))).AssertError(HttpStatusCode.Forbidden, "AUTHORIZATION");
        (await viewer.ApiGetAsync("/api/v1/app-connections")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Exchange_ExternalUserIdsDifferingOnlyInCase_AreTwoUsers()
    {
        var (user, org) = (Api.Unique("User"), Api.Unique("org"));
        var (_, upper) = await fixture.SignInAsync(Saas.Claims(user, org));
        var (_, lower) = await fixture.SignInAsync(Saas.Claims(user.ToLowerInvariant(), org));

        Assert.NotEqual(upper.Str("id"), lower.Str("id"));
        Assert.Equal(user.ToLowerInvariant(), lower.Str("externalId"));
    }

    [Fact]
    public async Task Exchange_ConcurrentFirstSignIns_OneProjectOneUser()
    {
        var (user, org) = (Api.Unique("user"), Api.Unique("org"));
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _anonymous.ExchangeAsync(fixture.Saas.Mint(Saas.Claims(user, org)))));

        Assert.All(answers, a => a.AssertStatus(HttpStatusCode.OK));
        Assert.Single(answers.Select(a => a.Str("projectId")).Distinct());
        Assert.Single(answers.Select(a => a.Str("id")).Distinct());
    }

    public static TheoryData<string> BadTokenKinds() => ["expired", "notYetValid", "noExp", "farFutureExp", "unknownKid", "otherKeysSignature", "algNone", "hs256WithPublicKey", "garbage", "tamperedPayload"];

    [Theory]
    [MemberData(nameof(BadTokenKinds))]
    public async Task Exchange_InvalidToken_Is401AndProvisionsNothing(string kind)
    {
        var org = Api.Unique("org");
        var claims = Saas.Claims(Api.Unique("user"), org);
        var saas = fixture.Saas;
        var now = fixture.Time.GetUtcNow().UtcDateTime;
        using var otherKey = RSA.Create(2048);
        var good = saas.Mint(claims);
        var token = kind switch
        {
            "expired" => saas.Mint(claims, notBefore: now.AddMinutes(-10), lifetime: TimeSpan.FromMinutes(-2)),
            "notYetValid" => saas.Mint(claims, notBefore: now.AddMinutes(10), lifetime: TimeSpan.FromMinutes(20)),
            "noExp" => saas.Mint(claims, lifetime: TimeSpan.Zero),
            "farFutureExp" => saas.Mint(claims, lifetime: TimeSpan.FromDays(365)),
            "unknownKid" => saas.Mint(claims, kid: "no-such-key"),
            "otherKeysSignature" => saas.Mint(claims, signWith: otherKey),
            "algNone" => Unsigned(good, """{"alg":"none","typ":"JWT","kid":"KID"}""".Replace("KID", saas.Kid, StringComparison.Ordinal)),
            "hs256WithPublicKey" => Hs256(good, saas),
            "garbage" => "not-a-jwt",
            _ => Tampered(good),
        };

        (await _anonymous.ExchangeAsync(token)).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");

        var projects = (await _admin.ApiGetAsync($"/api/v1/projects?externalId={org}")).AssertStatus(HttpStatusCode.OK);
        Assert.Empty(projects.Body.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Exchange_ReplayedAfterExp_Is401()
    {
        var token = fixture.Saas.Mint(Saas.Claims(Api.Unique("user"), Api.Unique("org")), lifetime: TimeSpan.FromMinutes(2));
        (await _anonymous.ExchangeAsync(token)).AssertStatus(HttpStatusCode.OK);

        fixture.Time.Advance(TimeSpan.FromMinutes(3));

        (await _anonymous.ExchangeAsync(token)).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
    }

    [Fact]
    public async Task Session_AfterItsTtl_Is401()
    {
        var (session, _) = await fixture.SignInAsync(Saas.Claims(Api.Unique("user"), Api.Unique("org")));
        (await session.ApiGetAsync("/api/v1/app-connections")).AssertStatus(HttpStatusCode.OK);

        fixture.Time.Advance(TimeSpan.FromHours(4) + TimeSpan.FromMinutes(1));

        (await session.ApiGetAsync("/api/v1/app-connections")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
    }

    [Fact]
    public async Task Exchange_KeyWithIssuerAndAudience_RequiresBoth()
    {
        using var saas = await Saas.RegisterAsync(_admin, fixture.Time, issuer: "https://saas.example.com", audience: "plugboard");
        var claims = Saas.Claims(Api.Unique("user"), Api.Unique("org"));

        (await _anonymous.ExchangeAsync(saas.Mint(claims))).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        (await _anonymous.ExchangeAsync(saas.Mint(claims, issuer: "https://evil.example.com", audience: "plugboard"))).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        (await _anonymous.ExchangeAsync(saas.Mint(claims, issuer: "https://saas.example.com", audience: "plugboard"))).AssertStatus(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("role", "OWNER")]
    [InlineData("externalProjectId", "")]
    public async Task Exchange_ValidSignatureButBadClaims_IsAValidationError(string claim, string value)
    {
        var claims = Saas.Claims(Api.Unique("user"), Api.Unique("org"));
        claims[claim] = value;
        (await _anonymous.ExchangeAsync(fixture.Saas.Mint(claims))).AssertValidation("externalAccessToken");
    }

    [Fact]
    public async Task Exchange_DeletedSigningKey_Is401()
    {
        using var saas = await Saas.RegisterAsync(_admin, fixture.Time);
        (await _admin.ApiDeleteAsync($"/api/v1/signing-keys/{saas.Kid}")).AssertStatus(HttpStatusCode.NoContent);

        (await _anonymous.ExchangeAsync(saas.Mint(Saas.Claims(Api.Unique("user"), Api.Unique("org"))))).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Unsigned(string token, string header) => $"{B64(header)}.{token.Split('.')[1]}.";

    private static string Tampered(string token)
    {
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Convert.FromBase64String(parts[1].Replace('-', '+').Replace('_', '/').PadRight((parts[1].Length + 3) / 4 * 4, '=')));
        return $"{parts[0]}.{B64(payload.Replace("\"EDITOR\"", "\"ADMIN\"", StringComparison.Ordinal).Replace("Ada", "Eve", StringComparison.Ordinal))}.{parts[2]}";
    }

    /// The classic key-confusion attack: HS256 keyed with the RSA public key's PEM text.
    private static string Hs256(string token, Saas saas)
    {
        var header = B64($$"""{"alg":"HS256","typ":"JWT","kid":"{{saas.Kid}}"}""");
        var payload = token.Split('.')[1];
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(saas.Key.ExportSubjectPublicKeyInfoPem()));
        var signature = Convert.ToBase64String(hmac.ComputeHash(Encoding.ASCII.GetBytes($"{header}.{payload}"))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{header}.{payload}.{signature}";
    }
}

public sealed class ManagedAuthnSqliteTests(SqliteEmbeddingFixture fixture) : ManagedAuthnTests(fixture), IClassFixture<SqliteEmbeddingFixture>;

public sealed class ManagedAuthnPostgresTests(PostgresEmbeddingFixture fixture) : ManagedAuthnTests(fixture), IClassFixture<PostgresEmbeddingFixture>;
