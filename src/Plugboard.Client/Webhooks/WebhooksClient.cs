using Plugboard.Client.Http;

namespace Plugboard.Client;

/// <summary>Auth webhooks: <c>/api/v1/webhooks</c> (platform key).</summary>
public sealed class WebhooksClient
{
    private const string Root = "api/v1/webhooks";
    private readonly ApiTransport _api;

    internal WebhooksClient(ApiTransport api) => _api = api;

    /// <summary>One page of the platform's webhook endpoints (never their signing secrets).</summary>
    [Operation("ListWebhooks")]
    public Task<Page<Webhook>> ListAsync(WebhookQuery? query = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        _api.GetAsync<Page<Webhook>>(new Query().Add("limit", query?.Limit).Add("cursor", cursor).Of(Root), cancellationToken);

    /// <summary>Every webhook endpoint of the platform, page after page.</summary>
    public IAsyncEnumerable<Webhook> ListAllAsync(WebhookQuery? query = null, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((cursor, ct) => ListAsync(query, cursor, ct), cancellationToken);

    /// <summary>Registers an endpoint; the answer carries its signing secret this once. Not retried: a lost answer
    /// would leave a second endpoint behind.</summary>
    [Operation("CreateWebhook")]
    public Task<CreatedWebhook> CreateAsync(CreateWebhookRequest request, CancellationToken cancellationToken = default) =>
        _api.SendAsync<CreatedWebhook>(HttpMethod.Post, Root, request, Retry.No, cancellationToken);

    /// <summary>One endpoint (never its signing secret).</summary>
    [Operation("GetWebhook")]
    public Task<Webhook> GetAsync(string id, CancellationToken cancellationToken = default) =>
        _api.GetAsync<Webhook>(Query.Path(Root + "/{0}", id), cancellationToken);

    /// <summary>Deletes the endpoint and its deliveries: nothing more is sent to it.</summary>
    [Operation("DeleteWebhook")]
    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Delete, Query.Path(Root + "/{0}", id), null, Retry.Yes, cancellationToken);

    /// <summary>One page of the endpoint's deliveries, newest first, each with its attempts.</summary>
    [Operation("ListWebhookDeliveries")]
    public Task<Page<WebhookDelivery>> ListDeliveriesAsync(string id, WebhookQuery? query = null, string? cursor = null,
        CancellationToken cancellationToken = default) =>
        _api.GetAsync<Page<WebhookDelivery>>(new Query().Add("limit", query?.Limit).Add("cursor", cursor).Of(Query.Path(Root + "/{0}/deliveries", id)),
            cancellationToken);
}
