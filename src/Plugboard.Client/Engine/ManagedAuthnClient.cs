using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Plugboard.Client.Http;

namespace Plugboard.Client;

/// <summary>Managed authentication: <c>/api/v1/managed-authn</c>, for the SaaS's embedded front end.</summary>
public sealed class ManagedAuthnClient
{
    private readonly ApiTransport _api;

    internal ManagedAuthnClient(ApiTransport api) => _api = api;

    /// <summary>Exchanges the SaaS's signed external token for a session (provisioning the user and project on first
    /// use). Sent without an API key: the route needs none, and a key has no business travelling with it.</summary>
    public Task<ManagedAuthnResponse> ExchangeExternalTokenAsync(string externalAccessToken, CancellationToken cancellationToken = default) =>
        ExchangeExternalTokenAsync(new ExternalTokenRequest { ExternalAccessToken = externalAccessToken }, cancellationToken);

    /// <summary>Exchanges the SaaS's signed external token for a session. Not retried: it issues a token.</summary>
    [Operation("ExchangeExternalToken")]
    public async Task<ManagedAuthnResponse> ExchangeExternalTokenAsync(ExternalTokenRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ExternalAccessToken, nameof(request));
        // Straight through the client rather than ApiTransport.SendAsync, which always adds the resolved key: this
        // request carries no Authorization, and is not marked retryable.
        using var message = new HttpRequestMessage(HttpMethod.Post, "api/v1/managed-authn/external-token")
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(request, PlugboardJson.Options)),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _api.Http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ApiErrors.ReadAsync(response, cancellationToken);
        }
        return await response.Content.ReadFromJsonAsync<ManagedAuthnResponse>(PlugboardJson.Options, cancellationToken)
            ?? throw new PlugboardApiException(response.StatusCode, "EMPTY_RESPONSE", new Dictionary<string, JsonElement>(), "The server answered with an empty body.");
    }
}
