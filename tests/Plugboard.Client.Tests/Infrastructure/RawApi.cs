using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Plugboard.Client.Tests.Infrastructure;

/// Plain HTTP calls for test setup, independent of the SDK under test.
public static class RawApi
{
    /// A new API key bound to one project: its plaintext value.
    public static async Task<string> CreateProjectKeyAsync(this PlugboardServer server, string projectId)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PlugboardServer.AdminKey);
        using var response = await http.PostAsJsonAsync("api/v1/api-keys", new { displayName = "tenant key", projectId });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("value").GetString()!;
    }
}
