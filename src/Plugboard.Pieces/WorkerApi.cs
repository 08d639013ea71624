using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plugboard.Pieces;

/// <summary>GETs on the server's worker routes with the engine token.</summary>
internal sealed class WorkerApi
{
    private readonly HttpClient _http;
    private readonly string _engineToken;

    public WorkerApi(HttpClient http, string engineToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentException.ThrowIfNullOrWhiteSpace(engineToken);
        if (http.BaseAddress is null)
        {
            throw new ArgumentException("The HttpClient needs a BaseAddress: the Plugboard server's URL.", nameof(http));
        }
        _http = http;
        _engineToken = engineToken;
    }

    /// <summary>
    /// The status and the JSON body (null when the body is not JSON). Throws <see cref="HttpRequestException"/>
    /// when no answer came, and <see cref="TaskCanceledException"/> on a timeout.
    /// </summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(string relativePath, CancellationToken ct)
    {
        // Relative to the base address (no leading slash), so a server mounted under a path works too. The
        // token goes on each request, never on the shared client's default headers.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(relativePath, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _engineToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await _http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return (response.StatusCode, ParseOrNull(text));
    }

    private static JsonNode? ParseOrNull(string text)
    {
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            // Dropped on purpose: the parser's message quotes the body, which may hold a secret.
            return null;
        }
    }
}
