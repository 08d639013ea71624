using Plugboard.Client.Http;

namespace Plugboard.Client;

/// <summary>Engine tokens: <c>/api/v1/engine-tokens</c> (platform key).</summary>
public sealed class EngineTokensClient
{
    private readonly ApiTransport _api;

    internal EngineTokensClient(ApiTransport api) => _api = api;

    /// <summary>Issues a token that reads <see cref="IssueEngineTokenRequest.ProjectId"/>'s connections; use it with
    /// <see cref="PlugboardClient.ForEngine"/>. Not retried: token issuing never is.</summary>
    [Operation("IssueEngineToken")]
    public Task<EngineToken> IssueAsync(IssueEngineTokenRequest request, CancellationToken cancellationToken = default) =>
        _api.SendAsync<EngineToken>(HttpMethod.Post, "api/v1/engine-tokens", request, Retry.No, cancellationToken);
}
