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
    public Task<ManagedAuthnResponse> ExchangeExternalTokenAsync(ExternalTokenRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ExternalAccessToken, nameof(request));
        return _api.Anonymous().SendAsync<ManagedAuthnResponse>(HttpMethod.Post, "api/v1/managed-authn/external-token", request, Retry.No, cancellationToken);
    }
}
