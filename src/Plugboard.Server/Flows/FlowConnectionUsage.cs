using Plugboard.Server.Connections;
using Plugboard.Server.Data;

namespace Plugboard.Server.Flows;

/// Answers the connections folder's question "which flows use this" from the flows' references (FlowUsage).
internal sealed class FlowConnectionUsage(PlugboardDb db) : IConnectionUsage
{
    public IQueryable<PageFact> FlowFacts(IReadOnlyList<string> ownIds, IReadOnlyList<string> globalIds, string? viewerProjectId) =>
        db.FlowFacts(ownIds, globalIds, viewerProjectId);

    public Task<(int EnabledFlows, IReadOnlyList<string> Projects)> UsageAsync(AppConnection connection, CancellationToken ct) =>
        db.UsageAsync(connection, ct);
}
