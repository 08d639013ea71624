using Plugboard.Client.Http;

namespace Plugboard.Client;

/// <summary>The authenticated proxy for a running step, <c>/api/v1/worker/proxy/{externalId}/{path}</c>, with an engine
/// token (from <see cref="PlugboardClient.ForEngine"/>): the token's project's connections, a test-run token's with
/// their definition's test credential.</summary>
/// <remarks>As <see cref="ProxyClient"/>: the answer comes back as it came, whatever its status (the server's own
/// refusals included, with the contract's error body), and is never retried. Dispose the response.</remarks>
public sealed class WorkerProxyClient
{
    private const string Root = "api/v1/worker/proxy";
    private readonly ApiTransport _api;

    internal WorkerProxyClient(ApiTransport api) => _api = api;

    /// <summary>Calls the API of the connection <paramref name="externalId"/> at <paramref name="path"/> (relative to its
    /// base URL; slashes and a <c>?query</c> kept, each segment escaped, so pass segments unescaped).</summary>
    /// <param name="method">GET, POST, PUT, PATCH or DELETE.</param>
    /// <param name="externalId">The connection.</param>
    /// <param name="path">The path under the connection's base URL, e.g. <c>v1/orders/42?expand=items</c>.</param>
    /// <param name="content">The body, sent as it is with its Content-Type; it stays the caller's to dispose.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The upstream's answer (status, safe headers, body), or the server's own refusal.</returns>
    [Operation("ProxyGetForEngine")]
    [Operation("ProxyPostForEngine")]
    [Operation("ProxyPutForEngine")]
    [Operation("ProxyPatchForEngine")]
    [Operation("ProxyDeleteForEngine")]
    public Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string externalId, string path, HttpContent? content = null, CancellationToken cancellationToken = default) =>
        ProxyCalls.SendAsync(_api, Root, method, externalId, path, content, projectId: null, cancellationToken);

    /// <summary>GETs <paramref name="path"/> from the connection's API (see <see cref="SendAsync"/>).</summary>
    public Task<HttpResponseMessage> GetAsync(string externalId, string path, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, externalId, path, null, cancellationToken);

    /// <summary>POSTs <paramref name="content"/> to <paramref name="path"/> of the connection's API (see <see cref="SendAsync"/>).</summary>
    public Task<HttpResponseMessage> PostAsync(string externalId, string path, HttpContent? content, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, externalId, path, content, cancellationToken);

    /// <summary>PUTs <paramref name="content"/> to <paramref name="path"/> of the connection's API (see <see cref="SendAsync"/>).</summary>
    public Task<HttpResponseMessage> PutAsync(string externalId, string path, HttpContent? content, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, externalId, path, content, cancellationToken);

    /// <summary>PATCHes <paramref name="path"/> of the connection's API with <paramref name="content"/> (see <see cref="SendAsync"/>).</summary>
    public Task<HttpResponseMessage> PatchAsync(string externalId, string path, HttpContent? content, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, externalId, path, content, cancellationToken);

    /// <summary>DELETEs <paramref name="path"/> of the connection's API (see <see cref="SendAsync"/>).</summary>
    public Task<HttpResponseMessage> DeleteAsync(string externalId, string path, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, externalId, path, null, cancellationToken);
}
