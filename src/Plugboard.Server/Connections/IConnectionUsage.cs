namespace Plugboard.Server.Connections;

/// Which flows use a connection. Connections ask; Flows answer (FlowConnectionUsage), so this folder never
/// depends on flows. Usage is keyed by (project, externalId), never by externalId alone.
public interface IConnectionUsage
{
    /// The flow ids of every connection of a page, by connection id.
    Task<ILookup<string, string>> FlowIdsAsync(IReadOnlyList<AppConnection> rows, Func<AppConnection, IReadOnlyList<string>> projectsOf, CancellationToken ct);

    /// Flows using one connection: how many are ENABLED, and the projects where it is used at all.
    Task<(int EnabledFlows, IReadOnlyList<string> Projects)> UsageAsync(AppConnection connection, CancellationToken ct);
}
