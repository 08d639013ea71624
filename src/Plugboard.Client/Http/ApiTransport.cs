using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Plugboard.Client.Http;

/// Sends one call: the key resolved for this client's tenant in the request's own Authorization header (no
/// shared default header another tenant's call could see), the body as JSON, the error body as
/// <see cref="PlugboardApiException"/>.
internal sealed class ApiTransport(HttpClient http, IPlugboardKeyResolver? keys, string? tenantId)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public string? TenantId => tenantId;

    public ApiTransport For(IPlugboardKeyResolver otherKeys, string? otherTenant) => new(http, otherKeys, otherTenant);

    /// Requests without an Authorization header, for the one route that takes none (the external-token exchange):
    /// a key has no business travelling with it.
    public ApiTransport Anonymous() => new(http, keys: null, tenantId: null);

    public Task<T> GetAsync<T>(string path, CancellationToken ct) => SendAsync<T>(HttpMethod.Get, path, null, Retry.Yes, ct);

    public async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, Retry retry, CancellationToken ct, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var response = await SendCheckedAsync(method, path, body, retry, headers, ct);
        return await response.Content.ReadFromJsonAsync<T>(PlugboardJson.Options, ct)
            ?? throw new PlugboardApiException(response.StatusCode, "EMPTY_RESPONSE", new Dictionary<string, JsonElement>(), "The server answered with an empty body.");
    }

    public async Task SendAsync(HttpMethod method, string path, object? body, Retry retry, CancellationToken ct)
    {
        using var response = await SendCheckedAsync(method, path, body, retry, headers: null, ct);
    }

    /// The answer as it came, whatever its status (the proxy passes the upstream API's statuses through).
    public async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, Retry retry, CancellationToken ct)
    {
        await AuthorizeAsync(request, retry, ct);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    private async Task<HttpResponseMessage> SendCheckedAsync(
        HttpMethod method, string path, object? body, Retry retry, IReadOnlyDictionary<string, string>? headers, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            // Bytes, not a stream: a retried request sends the same body again.
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), PlugboardJson.Options));
            request.Content.Headers.ContentType = Json;
        }
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        await AuthorizeAsync(request, retry, ct);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            throw await ApiErrors.ReadAsync(response, ct);
        }
    }

    private async Task AuthorizeAsync(HttpRequestMessage request, Retry retry, CancellationToken ct)
    {
        if (retry == Retry.Yes)
        {
            Retries.MarkRetryable(request);
        }
        if (keys is not null)
        {
            var key = await keys.GetApiKeyAsync(tenantId, ct);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
    }
}

/// Whether a call may be sent again after a transient failure (see <see cref="Retries"/>).
internal enum Retry
{
    No,
    Yes,
}
