using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plugboard.Pieces;

namespace Plugboard.Samples.Gelato;

/// The guide's backend half, run by Gelato's own server with a platform API key: one project per customer, and
/// one global connection per project named by the convention the piece reads (gelato_&lt;externalProjectId&gt;).
public sealed class GelatoBackend(HttpClient plugboard, string platformApiKey)
{
    /// The project whose externalId is the customer's id, created when missing. Returns its id.
    public async Task<string> GetOrCreateProjectAsync(string externalProjectId, CancellationToken ct = default)
    {
        if (await FindProjectAsync(externalProjectId, ct) is { } existing)
        {
            return existing;
        }
        var (status, body) = await SendAsync(HttpMethod.Post, "api/v1/projects",
            new JsonObject { ["displayName"] = externalProjectId, ["metadata"] = new JsonObject(), ["externalId"] = externalProjectId }, ct);
        if (status == HttpStatusCode.Conflict && await FindProjectAsync(externalProjectId, ct) is { } raced)
        {
            return raced; // another request of ours created it in between
        }
        return Ensure(status, body, "POST /api/v1/projects")["id"]!.GetValue<string>();
    }

    /// The id of the project with that externalId, or null.
    public async Task<string?> FindProjectAsync(string externalProjectId, CancellationToken ct = default)
    {
        var path = $"api/v1/projects?externalId={Uri.EscapeDataString(externalProjectId)}";
        var (status, body) = await SendAsync(HttpMethod.Get, path, null, ct);
        var projects = Ensure(status, body, "GET /api/v1/projects")["data"]!.AsArray();
        return projects.Count > 0 ? projects[0]!["id"]!.GetValue<string>() : null;
    }

    /// Creates or replaces the customer's Gelato connection, shared with their project only. Returns its id.
    public async Task<string> UpsertGlobalConnectionAsync(string projectId, string externalProjectId, JsonObject props, CancellationToken ct = default)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "api/v1/global-connections", new JsonObject
        {
            ["displayName"] = "Gelato Connection",
            ["pieceName"] = GelatoPiece.Name,
            ["metadata"] = new JsonObject(),
            ["type"] = "CUSTOM_AUTH",
            ["value"] = new JsonObject { ["type"] = "CUSTOM_AUTH", ["props"] = props.DeepClone() },
            ["scope"] = "PLATFORM",
            ["projectIds"] = new JsonArray(projectId),
            ["externalId"] = GelatoPiece.ConnectionKey(externalProjectId),
        }, ct);
        return Ensure(status, body, "POST /api/v1/global-connections")["id"]!.GetValue<string>();
    }

    /// Registers the piece's metadata (same name and version again replaces it). Returns what the registry stored.
    public async Task<JsonObject> RegisterPieceAsync(Piece piece, CancellationToken ct = default)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "api/v1/pieces", piece.ToMetadata(), ct);
        return Ensure(status, body, "POST /api/v1/pieces");
    }

    /// A short-lived token that runs piece code for this project only.
    public async Task<string> IssueEngineTokenAsync(string projectId, int ttlSeconds = 900, CancellationToken ct = default)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "api/v1/engine-tokens",
            new JsonObject { ["projectId"] = projectId, ["ttlSeconds"] = ttlSeconds }, ct);
        return Ensure(status, body, "POST /api/v1/engine-tokens")["token"]!.GetValue<string>();
    }

    private async Task<(HttpStatusCode Status, JsonObject? Body)> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", platformApiKey);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await plugboard.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject);
        }
        catch (JsonException)
        {
            return (response.StatusCode, null);
        }
    }

    /// The body of a 2xx answer; otherwise an exception with the API's error code and message (never a secret:
    /// the server's errors name fields, not values).
    private static JsonObject Ensure(HttpStatusCode status, JsonObject? body, string what)
    {
        if ((int)status is >= 200 and <= 299 && body is not null)
        {
            return body;
        }
        var code = body?["code"]?.GetValue<string>() ?? "?";
        var message = body?["params"]?["message"]?.GetValue<string>() ?? "no error body";
        throw new HttpRequestException($"{what} failed: HTTP {(int)status} {code}: {message}", null, status);
    }
}
