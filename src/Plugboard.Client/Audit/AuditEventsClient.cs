using Plugboard.Client.Http;

namespace Plugboard.Client;

/// <summary>Audit events: <c>/api/v1/audit-events</c>, newest first (platform key).</summary>
public sealed class AuditEventsClient
{
    private const string Root = "api/v1/audit-events";
    private readonly ApiTransport _api;

    internal AuditEventsClient(ApiTransport api) => _api = api;

    /// <summary>One page of the platform's audit events, newest first, filtered by action, entity, project or time.</summary>
    [Operation("ListAuditEvents")]
    public Task<Page<AuditEvent>> ListAsync(AuditEventQuery? query = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        _api.GetAsync<Page<AuditEvent>>(new Query()
            .Add("action", query?.Action)
            .Add("entityId", query?.EntityId)
            .Add("projectId", query?.ProjectId)
            .Add("from", query?.From)
            .Add("to", query?.To)
            .Add("limit", query?.Limit)
            .Add("cursor", cursor)
            .Of(Root), cancellationToken);

    /// <summary>Every event the query finds, page after page.</summary>
    public IAsyncEnumerable<AuditEvent> ListAllAsync(AuditEventQuery? query = null, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((cursor, ct) => ListAsync(query, cursor, ct), cancellationToken);
}
