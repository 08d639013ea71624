using System.Net;
using System.Text.Json.Nodes;

namespace Plugboard.Pieces;

/// <summary>The project a run belongs to: the one the engine token is bound to.</summary>
public sealed class ProjectContext
{
    private readonly string? _externalId;

    private ProjectContext(string id, string? externalId, string? displayName)
    {
        Id = id;
        _externalId = externalId;
        DisplayName = displayName;
    }

    /// <summary>The project's id.</summary>
    public string Id { get; }

    /// <summary>The project's display name.</summary>
    public string? DisplayName { get; }

    /// <summary>
    /// The project's externalId (e.g. your customer's organization id), or null when it has none: the key of
    /// predefined connections is built from it (<c>gelato_&lt;externalId&gt;</c>). Read once per run.
    /// </summary>
    public ValueTask<string?> ExternalIdAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_externalId);
    }

    /// <summary>Reads <c>GET /api/v1/worker/project</c> once, at the start of a run.</summary>
    internal static async Task<ProjectContext> LoadAsync(WorkerApi worker, CancellationToken ct)
    {
        var (status, body) = await worker.GetAsync("api/v1/worker/project", ct);
        if (status != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"Failed to load the run's project: the server answered HTTP {(int)status}.", null, status);
        }
        if (body is not JsonObject project || project["id"] is not JsonValue id || !id.TryGetValue(out string? projectId))
        {
            throw new HttpRequestException("Failed to load the run's project: the response is not a project.", null, status);
        }
        return new ProjectContext(projectId, Text(project["externalId"]), Text(project["displayName"]));
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? text) ? text : null;
}
