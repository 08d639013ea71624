using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Platform;
using Plugboard.Server.Projects;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Security;

public abstract partial class AuthenticationTests(AppFixture fixture)
{
    private readonly TestApp _app = fixture.App;
    private HttpClient Admin => _app.Client();

    /// One route of each feature, read and write, platform-only and project-level alike.
    private static readonly (HttpMethod Method, string Path, object? Body)[] ProtectedRoutes =
    [
        (HttpMethod.Get, "/api/v1/app-connections?projectId=someProject0000000000", null),
        (HttpMethod.Post, "/api/v1/app-connections", new { projectId = "someProject0000000000", externalId = "x", displayName = "x", pieceName = "p", type = "NO_AUTH", value = new { type = "NO_AUTH" } }),
        (HttpMethod.Get, "/api/v1/app-connections/someConnection0000000", null),
        (HttpMethod.Delete, "/api/v1/app-connections/someConnection0000000", null),
        (HttpMethod.Get, "/api/v1/app-connections/owners?projectId=someProject0000000000", null),
        (HttpMethod.Get, "/api/v1/projects", null),
        (HttpMethod.Post, "/api/v1/projects", new { displayName = "x" }),
        (HttpMethod.Get, "/api/v1/projects/someProject0000000000", null),
        (HttpMethod.Get, "/api/v1/global-connections", null),
        (HttpMethod.Get, "/api/v1/global-connections/someConnection0000000", null),
        (HttpMethod.Get, "/api/v1/api-keys", null),
        (HttpMethod.Post, "/api/v1/api-keys", new { displayName = "x" }),
        (HttpMethod.Delete, "/api/v1/api-keys/someKey00000000000000", null),
        (HttpMethod.Get, "/api/v1/audit-events", null),
    ];

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer sk-unknownKey0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq")]
    [InlineData("Bearer notAnSkToken")]
    [InlineData("Bearer testadminkey0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij")]
    [InlineData("Basic dXNlcjpwYXNzd29yZA==")]
    [InlineData("Bearer ")]
    [InlineData("Bearer")]
    [InlineData("sk-testadminkey0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij")]
    public async Task AnyRoute_WithoutAValidApiKey_Is401AuthenticationInTheContractBody(string? authorization)
    {
        foreach (var (method, path, body) in ProtectedRoutes)
        {
            var response = await SendAsync(method, path, body, authorization);

            response.AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
            Assert.DoesNotContain(TestApp.AdminKey, response.Raw, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CreateApiKey_PlatformAndProjectKey_Returns201WithSkValueOnceAndNoStore()
    {
        var projectId = await Admin.CreateProjectAsync();

        var (platformKey, platformHeaders) = await CreateKeyWithHeadersAsync(new { displayName = "platform key" });
        var (projectKey, projectHeaders) = await CreateKeyWithHeadersAsync(new { displayName = "project key", projectId });

        foreach (var (key, headers) in new[] { (platformKey, platformHeaders), (projectKey, projectHeaders) })
        {
            key.AssertStatus(HttpStatusCode.Created);
            var value = key.Str("value");
            Assert.StartsWith("sk-", value, StringComparison.Ordinal);
            Assert.Equal(64, value.Length);
            Assert.Equal(value[^4..], key.Str("truncatedValue"));
            Assert.Contains("no-store", headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        }
        Assert.Equal(System.Text.Json.JsonValueKind.Null, platformKey.Body.GetProperty("projectId").ValueKind);
        Assert.Equal(projectId, projectKey.Str("projectId"));
        Assert.NotEqual(platformKey.Str("value"), projectKey.Str("value"));
    }

    [Fact]
    public async Task CreateApiKey_UnknownProjectOrMissingName_IsRejectedAndCreatesNoKey()
    {
        var before = await _app.WithDbAsync(db => db.ApiKeys.CountAsync());

        (await Admin.ApiPostAsync("/api/v1/api-keys", new { displayName = "k", projectId = "noSuchProject00000000" }))
            .AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        (await Admin.ApiPostAsync("/api/v1/api-keys", new { projectId = (string?)null }))
            .AssertError(HttpStatusCode.BadRequest, "VALIDATION");

        Assert.Equal(before, await _app.WithDbAsync(db => db.ApiKeys.CountAsync()));
    }

    [Fact]
    public async Task ListApiKeys_AfterCreatingKeys_ShowsOnlyTruncatedValuesNeverAKey()
    {
        var projectId = await Admin.CreateProjectAsync();
        var created = new[]
        {
            (await Admin.ApiPostAsync("/api/v1/api-keys", new { displayName = "listed platform key" })).AssertStatus(HttpStatusCode.Created),
            (await Admin.ApiPostAsync("/api/v1/api-keys", new { displayName = "listed project key", projectId })).AssertStatus(HttpStatusCode.Created),
        };

        var items = new List<System.Text.Json.JsonElement>();
        var raws = new List<string>();
        string? cursor = null;
        do
        {
            var page = (await Admin.ApiGetAsync("/api/v1/api-keys?limit=100" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")))
                .AssertStatus(HttpStatusCode.OK);
            raws.Add(page.Raw);
            items.AddRange(page.Body.GetProperty("data").EnumerateArray());
            cursor = page.Body.GetProperty("next").GetString();
        }
        while (cursor is not null);

        foreach (var raw in raws)
        {
            Assert.DoesNotContain(TestApp.AdminKey, raw, StringComparison.Ordinal);
            foreach (var key in created)
            {
                Assert.DoesNotContain(key.Str("value"), raw, StringComparison.Ordinal);
            }
            Assert.DoesNotMatch(SkKey(), raw);
        }
        foreach (var item in items)
        {
            Assert.False(item.TryGetProperty("value", out _), $"an api-keys list item has a value: {item}");
            Assert.False(item.TryGetProperty("hashedValue", out _), $"an api-keys list item has a hash: {item}");
            Assert.Equal(4, item.GetProperty("truncatedValue").GetString()!.Length);
        }
        foreach (var key in created)
        {
            var listed = Assert.Single(items, i => i.GetProperty("id").GetString() == key.Str("id"));
            Assert.Equal(key.Str("value")[^4..], listed.GetProperty("truncatedValue").GetString());
            Assert.Equal(key.Str("displayName"), listed.GetProperty("displayName").GetString());
        }
        Assert.Contains(items, i => i.GetProperty("truncatedValue").GetString() == TestApp.AdminKey[^4..]);
    }

    [Fact]
    public async Task DeleteApiKey_NewPlatformKey_WorksUntilDeletedThen401()
    {
        var key = (await Admin.ApiPostAsync("/api/v1/api-keys", new { displayName = "short-lived" })).AssertStatus(HttpStatusCode.Created);
        var client = _app.Client(key.Str("value"));

        (await client.ApiGetAsync("/api/v1/projects")).AssertStatus(HttpStatusCode.OK);
        (await client.ApiGetAsync("/api/v1/api-keys")).AssertStatus(HttpStatusCode.OK);
        var projectId = await client.CreateProjectAsync();
        (await client.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}")).AssertStatus(HttpStatusCode.OK);

        (await Admin.ApiDeleteAsync($"/api/v1/api-keys/{key.Str("id")}")).AssertStatus(HttpStatusCode.NoContent);

        (await client.ApiGetAsync("/api/v1/projects")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        (await client.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        (await Admin.ApiDeleteAsync($"/api/v1/api-keys/{key.Str("id")}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        Assert.False(await _app.WithDbAsync(db => db.ApiKeys.AnyAsync(k => k.Id == key.Str("id"))));
    }

    [Fact]
    public async Task DeleteApiKey_ItsOwnKey_Is400AndTheKeyKeepsWorking()
    {
        var key = (await Admin.ApiPostAsync("/api/v1/api-keys", new { displayName = "self" })).AssertStatus(HttpStatusCode.Created);
        var client = _app.Client(key.Str("value"));

        (await client.ApiDeleteAsync($"/api/v1/api-keys/{key.Str("id")}")).AssertError(HttpStatusCode.BadRequest, "VALIDATION");

        (await client.ApiGetAsync("/api/v1/api-keys")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ProjectKey_OnPlatformOnlyRoutes_Is403AuthorizationAndChangesNothing()
    {
        var projectId = await Admin.CreateProjectAsync();
        var otherKey = (await Admin.ApiPostAsync("/api/v1/api-keys", new { displayName = "bystander" })).AssertStatus(HttpStatusCode.Created);
        var projectKey = await CreateProjectKeyAsync(projectId);
        var client = _app.Client(projectKey);
        var keysBefore = await _app.WithDbAsync(db => db.ApiKeys.CountAsync());
        var projectsBefore = await _app.WithDbAsync(db => db.Projects.CountAsync());

        (HttpMethod, string, object?)[] platformOnly =
        [
            (HttpMethod.Get, "/api/v1/api-keys", null),
            (HttpMethod.Post, "/api/v1/api-keys", new { displayName = "escalate" }),
            (HttpMethod.Post, "/api/v1/api-keys", new { displayName = "escalate", projectId }),
            (HttpMethod.Delete, $"/api/v1/api-keys/{otherKey.Str("id")}", null),
            (HttpMethod.Get, "/api/v1/global-connections", null),
            (HttpMethod.Post, "/api/v1/global-connections", Api.Global(Api.Unique("g"), [projectId], "s")),
            (HttpMethod.Get, "/api/v1/audit-events", null),
            (HttpMethod.Get, $"/api/v1/audit-events?projectId={projectId}", null),
            (HttpMethod.Post, "/api/v1/projects", new { displayName = "new", externalId = Api.Unique("org") }),
            (HttpMethod.Delete, $"/api/v1/projects/{projectId}", null),
        ];
        foreach (var (method, path, body) in platformOnly)
        {
            var response = await Api.SendAsync(client, method, path, body);
            Assert.True(response.Status == HttpStatusCode.Forbidden, $"{method} {path}: expected 403, got {(int)response.Status}: {response.Raw}");
            response.AssertError(HttpStatusCode.Forbidden, "AUTHORIZATION");
        }

        Assert.Equal(keysBefore, await _app.WithDbAsync(db => db.ApiKeys.CountAsync()));
        Assert.Equal(projectsBefore, await _app.WithDbAsync(db => db.Projects.CountAsync()));
        (await Admin.ApiGetAsync($"/api/v1/projects/{projectId}")).AssertStatus(HttpStatusCode.OK);
        (await client.ApiGetAsync($"/api/v1/projects/{projectId}")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task DeleteProject_ItsProjectKeys_Get401Afterwards()
    {
        var projectId = await Admin.CreateProjectAsync();
        var client = _app.Client(await CreateProjectKeyAsync(projectId));
        (await client.ApiGetAsync("/api/v1/app-connections")).AssertStatus(HttpStatusCode.OK);

        (await Admin.ApiDeleteAsync($"/api/v1/projects/{projectId}")).AssertStatus(HttpStatusCode.NoContent);

        (await client.ApiGetAsync("/api/v1/app-connections")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
    }

    [Fact]
    public async Task CreateApiKey_StoredRow_HoldsOnlyTheSha256Hash()
    {
        var projectId = await Admin.CreateProjectAsync();
        foreach (var body in new object[] { new { displayName = "stored platform key" }, new { displayName = "stored project key", projectId } })
        {
            var created = (await Admin.ApiPostAsync("/api/v1/api-keys", body)).AssertStatus(HttpStatusCode.Created);
            var value = created.Str("value");

            var row = await _app.WithDbAsync(db => db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == created.Str("id")));

            Assert.Matches(Sha256Hex(), row.HashedValue);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value))), row.HashedValue);
            Assert.Equal(value[^4..], row.TruncatedValue);
            foreach (var property in row.GetType().GetProperties().Where(p => p.PropertyType == typeof(string)))
            {
                var stored = (string?)property.GetValue(row);
                Assert.False(stored is not null && stored.Contains(value[3..], StringComparison.Ordinal),
                    $"api_keys.{property.Name} holds the key itself");
            }
        }

        // The configured admin key too: only its hash is kept.
        var adminHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(TestApp.AdminKey)));
        var rows = await _app.WithDbAsync(db => db.ApiKeys.AsNoTracking().ToListAsync());
        Assert.Contains(rows, r => r.HashedValue == adminHash);
        Assert.DoesNotContain(rows, r => r.HashedValue.Contains("sk-", StringComparison.Ordinal) || r.DisplayName.Contains(TestApp.AdminKey, StringComparison.Ordinal));
    }

    private async Task<string> CreateProjectKeyAsync(string projectId) =>
        (await Admin.ApiPostAsync("/api/v1/api-keys", new { displayName = "project key", projectId })).AssertStatus(HttpStatusCode.Created).Str("value");

    private async Task<(ApiResponse Response, System.Net.Http.Headers.HttpResponseHeaders Headers)> CreateKeyWithHeadersAsync(object body)
    {
        using var response = await Admin.PostAsJsonAsync("/api/v1/api-keys", body);
        var raw = await response.Content.ReadAsStringAsync();
        return (new ApiResponse(response.StatusCode, raw, response.Content.Headers.ContentType?.MediaType), response.Headers);
    }

    private async Task<ApiResponse> SendAsync(HttpMethod method, string path, object? body, string? authorization)
    {
        using var request = new HttpRequestMessage(method, path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await _app.Client(null).SendAsync(request);
        return new ApiResponse(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();

    [GeneratedRegex("sk-[0-9A-Za-z]{20,}")]
    private static partial Regex SkKey();
}

public sealed class AuthenticationSqliteTests(SqliteFixture fixture) : AuthenticationTests(fixture), IClassFixture<SqliteFixture>;

public sealed class AuthenticationPostgresTests(PostgresFixture fixture) : AuthenticationTests(fixture), IClassFixture<PostgresFixture>;
