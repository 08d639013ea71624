using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Plugboard.Client.Tests.Infrastructure;

namespace Plugboard.Client.Tests.Sync;

/// A platform of the test's own on the shared server (made with the operator key, by plain HTTP), so an export holds
/// only what the test put there and an import or a prune touches no other test's items.
internal static class SyncPlatforms
{
    public static async Task<PlugboardClient> NewPlatformAsync(this PlugboardServer server)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PlugboardServer.OperatorKey);
        using var response = await http.PostAsJsonAsync("api/v1/platforms", new { name = "sync-" + Guid.NewGuid().ToString("N")[..8] });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return server.Client().WithKey(body.RootElement.GetProperty("adminApiKey").GetString()!);
    }
}
