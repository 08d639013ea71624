using Plugboard.Client.Http;

namespace Plugboard.Client;

/// <summary>Flows: <c>/api/v1/flows</c>.</summary>
public sealed class FlowsClient
{
    private const string Root = "api/v1/flows";
    private readonly ApiTransport _api;

    internal FlowsClient(ApiTransport api) => _api = api;

    /// <summary>One page of the project's flows.</summary>
    [Operation("ListFlows")]
    public Task<Page<Flow>> ListAsync(FlowQuery? query = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        _api.GetAsync<Page<Flow>>(new Query()
            .Add("projectId", query?.ProjectId)
            .Add("status", query?.Status)
            .Add("limit", query?.Limit)
            .Add("cursor", cursor)
            .Of(Root), cancellationToken);

    /// <summary>Every flow the query finds, page after page.</summary>
    public IAsyncEnumerable<Flow> ListAllAsync(FlowQuery? query = null, CancellationToken cancellationToken = default) =>
        Paging.AllAsync((cursor, ct) => ListAsync(query, cursor, ct), cancellationToken);

    /// <summary>The flow with this id.</summary>
    [Operation("GetFlow")]
    public Task<Flow> GetAsync(string id, CancellationToken cancellationToken = default) =>
        _api.GetAsync<Flow>(Query.Path(Root + "/{0}", id), cancellationToken);

    /// <summary>Creates a flow; connections its steps reference that do not exist yet are created MISSING. Not
    /// retried: nothing keys a flow, so a second arrival would be a second flow.</summary>
    [Operation("CreateFlow")]
    public Task<Flow> CreateAsync(CreateFlowRequest request, CancellationToken cancellationToken = default) =>
        _api.SendAsync<Flow>(HttpMethod.Post, Root, request, Retry.No, cancellationToken);

    /// <summary>Replaces the fields given (retried: a second arrival stores the same content again).</summary>
    [Operation("UpdateFlow")]
    public Task<Flow> UpdateAsync(string id, UpdateFlowRequest request, CancellationToken cancellationToken = default) =>
        _api.SendAsync<Flow>(HttpMethod.Post, Query.Path(Root + "/{0}", id), request, Retry.Yes, cancellationToken);

    /// <summary>Deletes the flow (and the MISSING placeholders only it referenced).</summary>
    [Operation("DeleteFlow")]
    public Task DeleteAsync(string id, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Delete, Query.Path(Root + "/{0}", id), null, Retry.Yes, cancellationToken);

    /// <summary>Makes one step use another connection of the same piece; every other step keeps its own. Retried: a
    /// second arrival finds the step already using it and changes nothing.</summary>
    [Operation("SwitchFlowStepConnection")]
    public Task<Flow> SwitchStepConnectionAsync(string id, string stepName, SwitchStepConnectionRequest request, CancellationToken cancellationToken = default) =>
        _api.SendAsync<Flow>(HttpMethod.Post, Query.Path(Root + "/{0}/steps/{1}/connection", id, stepName), request, Retry.Yes, cancellationToken);
}
