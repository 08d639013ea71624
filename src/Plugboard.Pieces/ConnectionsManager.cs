using System.Net;
using System.Text.Json.Nodes;

namespace Plugboard.Pieces;

/// <summary>
/// Reads connections visible to the run's project, through <c>GET /api/v1/worker/app-connections/{key}</c>
/// with the engine token: the same path the runner takes for <c>{{connections['key']}}</c> references.
/// </summary>
public sealed class ConnectionsManager
{
    private readonly WorkerApi _worker;

    /// <summary>A manager on <paramref name="http"/> (its BaseAddress is the Plugboard server) with an engine token.</summary>
    public ConnectionsManager(HttpClient http, string engineToken)
        : this(new WorkerApi(http, engineToken))
    {
    }

    internal ConnectionsManager(WorkerApi worker) => _worker = worker;

    /// <summary>The value of the connection whose externalId is <paramref name="key"/>. Never null: a missing one throws.</summary>
    /// <exception cref="ConnectionNotFoundException">No such connection is visible to the project (404).</exception>
    /// <exception cref="ConnectionExpiredException">The connection is in ERROR: the user must reconnect.</exception>
    /// <exception cref="ConnectionLoadingException">Any other failure: another status, no answer, or not a connection.</exception>
    public async Task<ConnectionValue> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        HttpStatusCode status;
        JsonNode? body;
        try
        {
            (status, body) = await _worker.GetAsync($"api/v1/worker/app-connections/{Uri.EscapeDataString(key)}", cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ConnectionLoadingException(key, "the server could not be reached", inner: e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ConnectionLoadingException(key, "the server did not answer in time", inner: e);
        }

        if (status == HttpStatusCode.NotFound)
        {
            throw new ConnectionNotFoundException(key);
        }
        if ((int)status is < 200 or > 299)
        {
            throw new ConnectionLoadingException(key, $"the server answered HTTP {(int)status}", status);
        }
        if (body is not JsonObject connection)
        {
            throw new ConnectionLoadingException(key, "the response is not a connection", status);
        }
        if (connection["status"] is JsonValue s && s.TryGetValue(out string? state) && state == "ERROR")
        {
            throw new ConnectionExpiredException(key);
        }
        return connection["value"] is JsonObject value
            ? new ConnectionValue(key, value)
            : throw new ConnectionLoadingException(key, "the response has no value", status);
    }
}
