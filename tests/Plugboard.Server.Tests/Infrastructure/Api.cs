using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Plugboard.Server.Tests.Infrastructure;

public sealed record ApiResponse(HttpStatusCode Status, string Raw, string? ContentType)
{
    public JsonElement Body => Raw.Length == 0 ? default : JsonDocument.Parse(Raw).RootElement;

    public string Str(string property) => Body.GetProperty(property).GetString()!;

    /// Asserts the contract's error body: {statusCode, code, params:{message}} as problem+json.
    public ApiResponse AssertError(HttpStatusCode status, string code)
    {
        Assert.True(Status == status, $"expected {(int)status} {code}, got {(int)Status}: {Raw}");
        Assert.Equal("application/problem+json", ContentType);
        Assert.Equal((int)status, Body.GetProperty("statusCode").GetInt32());
        Assert.Equal((int)status, Body.GetProperty("status").GetInt32());
        Assert.Equal(code, Body.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(Body.GetProperty("params").GetProperty("message").GetString()));
        return this;
    }

    /// A 400 VALIDATION error naming the given field in params.field.
    public ApiResponse AssertValidation(string field)
    {
        AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        Assert.Equal(field, Body.GetProperty("params").GetProperty("field").GetString());
        return this;
    }

    public ApiResponse AssertStatus(HttpStatusCode status)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {(int)Status}: {Raw}");
        return this;
    }
}

public static class Api
{
    public static Task<ApiResponse> ApiGetAsync(this HttpClient client, string path) => SendAsync(client, HttpMethod.Get, path, null);

    public static Task<ApiResponse> ApiPostAsync(this HttpClient client, string path, object body) => SendAsync(client, HttpMethod.Post, path, body);

    public static Task<ApiResponse> ApiDeleteAsync(this HttpClient client, string path) => SendAsync(client, HttpMethod.Delete, path, null);

    public static async Task<ApiResponse> ApiPostRawAsync(this HttpClient client, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(path, content);
        return await ReadAsync(response);
    }

    public static async Task<ApiResponse> SendAsync(HttpClient client, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await client.SendAsync(request);
        return await ReadAsync(response);
    }

    private static async Task<ApiResponse> ReadAsync(HttpResponseMessage response) =>
        new(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);

    public static string Unique(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];

    public static async Task<string> CreateProjectAsync(this HttpClient client, string? externalId = null, object? extra = null)
    {
        externalId ??= Unique("org");
        var body = new Dictionary<string, object?> { ["displayName"] = externalId, ["externalId"] = externalId, ["metadata"] = new { } };
        if (extra is not null)
        {
            foreach (var p in extra.GetType().GetProperties())
            {
                body[p.Name] = p.GetValue(extra);
            }
        }
        var response = await client.ApiPostAsync("/api/v1/projects", body);
        response.AssertStatus(HttpStatusCode.Created);
        return response.Str("id");
    }

    public static object SecretText(string projectId, string externalId, string secret, string displayName = "Slack Bot Token", string pieceName = "@activepieces/piece-slack") => new
    {
        projectId,
        externalId,
        displayName,
        pieceName,
        pieceVersion = "0.10.0",
        type = "SECRET_TEXT",
        value = new { type = "SECRET_TEXT", secret_text = secret },
        metadata = new { environment = "test" },
    };

    public static object Global(string externalId, string[] projectIds, string secret, bool? preSelect = null) => new
    {
        displayName = "Gelato Connection",
        pieceName = "@activepieces/piece-gelato",
        metadata = new { source = "backend" },
        type = "CUSTOM_AUTH",
        value = new { type = "CUSTOM_AUTH", props = new { api_key = secret } },
        scope = "PLATFORM",
        projectIds,
        externalId,
        preSelectForNewProjects = preSelect,
    };
}
