namespace Plugboard.Server.Connections;

/// Which flows use a connection. Connections ask; Flows answer (FlowConnectionUsage), so this folder never
/// depends on flows. Usage is keyed by (project, externalId), never by externalId alone.
public interface IConnectionUsage
{
    /// The flows using a page's connections, as <see cref="PageFact.FlowKind"/> facts keyed by connection id, for the
    /// page to fetch in its one facts query: `ownIds` are PROJECT connections, `globalIds` PLATFORM ones, seen from
    /// `viewerProjectId` alone when it is set.
    IQueryable<PageFact> FlowFacts(IReadOnlyList<string> ownIds, IReadOnlyList<string> globalIds, string? viewerProjectId);

    /// Flows using one connection: how many are ENABLED, and the projects where it is used at all.
    Task<(int EnabledFlows, IReadOnlyList<string> Projects)> UsageAsync(AppConnection connection, CancellationToken ct);
}
