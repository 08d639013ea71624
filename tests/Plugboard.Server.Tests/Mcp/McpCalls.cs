using System.Text;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Mcp;

public static class McpCalls
{
    /// A bare JSON-RPC tools/list POST to /mcp, as a client that is not the SDK would send it, with the client's own Authorization.
    public static async Task<ApiResponse> RawListToolsAsync(this HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await client.SendAsync(request);
        return new ApiResponse(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }
}
