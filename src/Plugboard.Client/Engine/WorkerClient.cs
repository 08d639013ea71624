using System.Text.Json;
using Plugboard.Client.Http;

namespace Plugboard.Client;

/// <summary>The worker's routes, <c>/api/v1/worker</c>, with an engine token (from <see cref="PlugboardClient.ForEngine"/>):
/// everything is the token's project's.</summary>
public sealed partial class WorkerClient
{
    // The value comes back as it was stored, in the writer's order: `type` (the union's discriminator) may follow the
    // fields, as when a caller sent it last or a definition's globals were merged in.
    private static readonly JsonSerializerOptions ValueOptions = new(PlugboardJson.Options) { AllowOutOfOrderMetadataProperties = true };

    private readonly ApiTransport _api;

    internal WorkerClient(ApiTransport api) => _api = api;

    /// <summary>The project's connection with this externalId (its own before a global one of the same name), with
    /// its value: the one call meant to hand credentials out. Keep the answer out of logs.</summary>
    [Operation("ReadWorkerConnection")]
    public async Task<WorkerConnection> ReadConnectionAsync(string externalId, CancellationToken cancellationToken = default)
    {
        var answer = await _api.GetAsync<JsonElement>(Query.Path("api/v1/worker/app-connections/{0}", externalId), cancellationToken);
        return answer.Deserialize<WorkerConnection>(ValueOptions)
            ?? throw new JsonException("The server answered null for a connection.");
    }

    /// <summary>The engine token's project.</summary>
    [Operation("ReadWorkerProject")]
    public Task<WorkerProject> ReadProjectAsync(CancellationToken cancellationToken = default) =>
        _api.GetAsync<WorkerProject>("api/v1/worker/project", cancellationToken);
}
