using Plugboard.Client.Http;

namespace Plugboard.Client;

/// <summary>The worker's routes, <c>/api/v1/worker</c>, with an engine token (from <see cref="PlugboardClient.ForEngine"/>):
/// everything is the token's project's.</summary>
public sealed partial class WorkerClient
{
    private readonly ApiTransport _api;

    internal WorkerClient(ApiTransport api) => _api = api;

    /// <summary>The project's connection with this externalId (its own before a global one of the same name), with
    /// its value: the one call meant to hand credentials out. Keep the answer out of logs.</summary>
    [Operation("ReadWorkerConnection")]
    public Task<WorkerConnection> ReadConnectionAsync(string externalId, CancellationToken cancellationToken = default) =>
        _api.GetAsync<WorkerConnection>(Query.Path("api/v1/worker/app-connections/{0}", externalId), cancellationToken);

    /// <summary>The engine token's project.</summary>
    [Operation("ReadWorkerProject")]
    public Task<WorkerProject> ReadProjectAsync(CancellationToken cancellationToken = default) =>
        _api.GetAsync<WorkerProject>("api/v1/worker/project", cancellationToken);
}
