using Plugboard.Server.Access;
using Plugboard.Server.Http;

namespace Plugboard.Server.Projects;

/// What creating, updating and deleting a project does to connections. Projects ask; Connections answer
/// (ProjectConnections), so this folder never depends on connections. Every call stages its changes on the
/// request's context; the project route saves them with its own, in one transaction.
public interface IProjectConnections
{
    /// Resolves externalIds to this platform's global connections; an unknown one is a 400 naming `field`.
    Task<Outcome<List<string>>> FindGlobalIdsAsync(string platformId, IReadOnlyCollection<string> externalIds, string field, CancellationToken ct);

    /// A new project gets every global connection marked preSelectForNewProjects, plus the named ones.
    Task AttachNewProjectAsync(string platformId, string projectId, IEnumerable<string> namedIds, CancellationToken ct);

    /// Makes the project's set of global connections exactly `desiredIds`.
    Task SetProjectGlobalsAsync(string platformId, string projectId, IReadOnlyCollection<string> desiredIds, CancellationToken ct);

    /// Deletes the project's own connections (each audited); global ones lose the link with the project row.
    Task DeleteOwnAsync(Caller caller, string projectId, CancellationToken ct);
}
