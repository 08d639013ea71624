using Plugboard.Server.Connections;
using Plugboard.Server.Data;

namespace Plugboard.Server.Flows;

/// Answers the connections folder's question "which flows use this" from the flows' references (FlowUsage).
internal sealed class FlowConnectionUsage(PlugboardDb db) : IConnectionUsage
{
    public Task<ILookup<string, string>> FlowIdsAsync(IReadOnlyList<AppConnection> rows, Func<AppConnection, IReadOnlyList<string>> projectsOf, CancellationToken ct) =>
        db.FlowIdsAsync(rows, projectsOf, ct);

    public Task<(int EnabledFlows, IReadOnlyList<string> Projects)> UsageAsync(AppConnection connection, CancellationToken ct) =>
        db.UsageAsync(connection, ct);
}
