using System.Net;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Engine;

/// POST /api/v1/engine-tokens and who may call what with which credential.
public abstract class EngineTokenTests(AppFixture fixture)
{
    private readonly HttpClient _admin = fixture.App.Client();

    [Fact]
    public async Task Issue_PlatformKey_ReturnsAShortLivedTokenWithItsExpiry()
    {
        var projectId = await _admin.CreateProjectAsync();
        var before = DateTime.UtcNow;

        var response = (await _admin.ApiPostAsync("/api/v1/engine-tokens", new { projectId, ttlSeconds = 120 })).AssertStatus(HttpStatusCode.OK);

        var expiresAt = response.Body.GetProperty("expiresAt").GetDateTime().ToUniversalTime();
        Assert.InRange(expiresAt, before.AddSeconds(110), DateTime.UtcNow.AddSeconds(130));
        Assert.StartsWith("eyJ", response.Str("token"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_Response_IsNotCached()
    {
        var projectId = await _admin.CreateProjectAsync();
        using var response = await _admin.PostAsync("/api/v1/engine-tokens", System.Net.Http.Json.JsonContent.Create(new { projectId }));
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task Issue_DefaultTtl_IsFifteenMinutes()
    {
        var projectId = await _admin.CreateProjectAsync();
        var response = (await _admin.ApiPostAsync("/api/v1/engine-tokens", new { projectId })).AssertStatus(HttpStatusCode.OK);
        var expiresAt = response.Body.GetProperty("expiresAt").GetDateTime().ToUniversalTime();
        Assert.InRange(expiresAt, DateTime.UtcNow.AddMinutes(14), DateTime.UtcNow.AddMinutes(16));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(86_401)]
    [InlineData(int.MaxValue)]
    public async Task Issue_TtlOutOfRange_IsAValidationError(int ttlSeconds)
    {
        var projectId = await _admin.CreateProjectAsync();
        (await _admin.ApiPostAsync("/api/v1/engine-tokens", new { projectId, ttlSeconds })).AssertValidation("ttlSeconds");
    }

    [Fact]
    public async Task Issue_UnknownProject_IsNotFound()
    {
        (await _admin.ApiPostAsync("/api/v1/engine-tokens", new { projectId = "nope" })).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        (await _admin.ApiPostAsync("/api/v1/engine-tokens", new { })).AssertValidation("projectId");
    }

    [Fact]
    public async Task Issue_ProjectKey_IsForbidden()
    {
        var projectId = await _admin.CreateProjectAsync();
        var projectKey = (await _admin.ApiPostAsync("/api/v1/api-keys", new { displayName = "project key", projectId })).Str("value");

        (await fixture.App.Client(projectKey).ApiPostAsync("/api/v1/engine-tokens", new { projectId })).AssertError(HttpStatusCode.Forbidden, "AUTHORIZATION");
    }

    [Fact]
    public async Task WorkerRoutes_ApiKeyOrNoOrForgedToken_AreUnauthenticated()
    {
        var projectId = await _admin.CreateProjectAsync();
        var token = await _admin.EngineTokenAsync(projectId);
        var parts = token.Split('.');
        var forgedSignature = $"{parts[0]}.{parts[1]}.{new string('A', parts[2].Length)}";
        var payloadOfAnotherProject = $"{parts[0]}.{Base64Url($"{{\"sub\":\"other\",\"platform\":\"p\",\"jti\":\"x\",\"exp\":4102444800,\"iss\":\"plugboard\",\"aud\":\"plugboard-engine\"}}")}.{parts[2]}";
        var unsigned = $"{Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{parts[1]}.";

        foreach (var credential in new[] { TestApp.AdminKey, null, forgedSignature, payloadOfAnotherProject, unsigned, "eyJnot-a-token" })
        {
            (await fixture.App.Client(credential).ApiGetAsync("/api/v1/worker/project")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        }
    }

    [Fact]
    public async Task EngineToken_OnTheManagementRoutes_IsUnauthenticated()
    {
        var projectId = await _admin.CreateProjectAsync();
        var engine = fixture.App.Client(await _admin.EngineTokenAsync(projectId));

        (await engine.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        (await engine.ApiGetAsync("/api/v1/global-connections")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        (await engine.ApiPostAsync("/api/v1/engine-tokens", new { projectId })).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
    }

    private static string Base64Url(string json) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public sealed class EngineTokenSqliteTests(SqliteFixture fixture) : EngineTokenTests(fixture), IClassFixture<SqliteFixture>;

public sealed class EngineTokenPostgresTests(PostgresFixture fixture) : EngineTokenTests(fixture), IClassFixture<PostgresFixture>;
