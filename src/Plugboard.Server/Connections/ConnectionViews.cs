using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Platform;

namespace Plugboard.Server.Connections;

/// Read-side queries and the mapping to <see cref="ConnectionDto"/>. Nothing here decrypts:
/// a wrong or missing key can never turn a list into a 500.
public static class ConnectionViews
{
    /// Connections visible in a project: its own, and global ones shared with it.
    public static IQueryable<AppConnection> VisibleIn(this PlugboardDb db, string platformId, string projectId) =>
        db.AppConnections.Where(c => c.PlatformId == platformId && c.Projects.Any(l => l.ProjectId == projectId));

    /// What a caller may read by id: anything of its platform for a platform key, what is visible in its
    /// project for a project key. Anything else is "not found", never "forbidden".
    public static IQueryable<AppConnection> VisibleTo(this PlugboardDb db, Caller caller) =>
        (caller.ProjectId is null
            ? db.AppConnections.Where(c => c.PlatformId == caller.PlatformId)
            : db.VisibleIn(caller.PlatformId, caller.ProjectId)).SeenBy(db, caller);

    /// An embedded user sees no global connection and no definition's connection that is not marked `embedded` (seed
    /// 004): to them it does not exist. Keys see everything their reach allows.
    public static IQueryable<AppConnection> SeenBy(this IQueryable<AppConnection> query, PlugboardDb db, Caller caller) =>
        caller.IsUser
            ? query.Where(c => c.Embedded && (c.DefinitionId == null || db.Set<ConnectionDefinition>().Any(d => d.Id == c.DefinitionId && d.Embedded)))
            : query;

    /// A listed row: every column a <see cref="ConnectionDto"/> shows, without the ciphertext a list never reads.
    public static readonly Expression<Func<AppConnection, AppConnection>> Listed = c => new AppConnection
    {
        Id = c.Id,
        PlatformId = c.PlatformId,
        ExternalId = c.ExternalId,
        Scope = c.Scope,
        ScopeKey = c.ScopeKey,
        DisplayName = c.DisplayName,
        PieceName = c.PieceName,
        PieceVersion = c.PieceVersion,
        Type = c.Type,
        Status = c.Status,
        OwnerId = c.OwnerId,
        Value = "",
        Metadata = c.Metadata,
        PreSelectForNewProjects = c.PreSelectForNewProjects,
        Created = c.Created,
        Updated = c.Updated,
        StatusReason = c.StatusReason,
        StatusChangedAt = c.StatusChangedAt,
        ExpiresAt = c.ExpiresAt,
        NextRefreshAt = c.NextRefreshAt,
        DefinitionId = c.DefinitionId,
        Embedded = c.Embedded,
    };

    public static ApiError NotFound(string id) => ApiError.NotFound("app_connection", id, "Connection not found");

    /// A project-scoped viewer (project key, embedded session) sees a global connection as its own project sees it:
    /// `projectIds` is that project alone and `flowIds` its flows only, so no tenant learns which other projects
    /// share the connection or what their flows are. Platform keys see every project. Everything beyond the rows
    /// (projects, flows, owners) is one query, whatever the page's size.
    public static async Task<IReadOnlyList<ConnectionDto>> ToDtosAsync(this PlugboardDb db, IConnectionUsage usage, IReadOnlyList<AppConnection> rows, Caller viewer,
        CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return [];
        }
        var facts = await db.PageFacts(usage, rows, viewer.ProjectId).AsNoTracking().ToListAsync(ct);
        var byKind = facts.ToLookup(f => f.Kind);
        var owners = byKind[PageFact.OwnerKind].ToDictionary(f => f.Key, f => new OwnerDto(f.Value, f.FirstName, f.LastName));
        var projects = byKind[PageFact.ProjectKind].ToLookup(f => f.Key, f => f.Value);
        var flows = byKind[PageFact.FlowKind].ToLookup(f => f.Key, f => f.Value);
        var definitions = byKind[PageFact.DefinitionKind].ToDictionary(f => f.Key);
        return rows.Select(c => ToDto(c,
                c.OwnerId is not null && owners.TryGetValue(c.OwnerId, out var owner) ? owner : null,
                c.Scope == ConnectionScope.Project ? [c.ScopeKey] : SortedDistinct(projects[c.Id]),
                SortedDistinct(flows[c.Id]),
                c.DefinitionId is not null && definitions.TryGetValue(c.DefinitionId, out var definition) ? definition : null))
            .ToList();
    }

    /// The page's facts: the projects its global connections are shared with, the flows using its connections,
    /// and its owners, as one UNION ALL.
    private static IQueryable<PageFact> PageFacts(this PlugboardDb db, IConnectionUsage usage, IReadOnlyList<AppConnection> rows, string? viewerProjectId)
    {
        var ownIds = rows.Where(r => r.Scope == ConnectionScope.Project).Select(r => r.Id).ToList();
        var globalIds = rows.Where(r => r.Scope == ConnectionScope.Platform).Select(r => r.Id).ToList();
        var ownerIds = rows.Where(r => r.OwnerId is not null).Select(r => r.OwnerId!).Distinct().ToList();
        var definitionIds = rows.Where(r => r.DefinitionId is not null).Select(r => r.DefinitionId!).Distinct().ToList();
        var facts = usage.FlowFacts(ownIds, globalIds, viewerProjectId);
        if (globalIds.Count > 0)
        {
            facts = facts.Concat(db.AppConnectionProjects
                .Where(l => globalIds.Contains(l.ConnectionId) && (viewerProjectId == null || l.ProjectId == viewerProjectId))
                .Select(l => new PageFact { Key = l.ConnectionId, Kind = PageFact.ProjectKind, Value = l.ProjectId, FirstName = "", LastName = "" }));
        }
        if (ownerIds.Count > 0)
        {
            facts = facts.Concat(db.Users
                .Where(u => ownerIds.Contains(u.Id))
                .Select(u => new PageFact { Key = u.Id, Kind = PageFact.OwnerKind, Value = u.Email, FirstName = u.FirstName, LastName = u.LastName }));
        }
        if (definitionIds.Count > 0)
        {
            facts = facts.Concat(db.ConnectionDefinitions
                .Where(d => definitionIds.Contains(d.Id))
                .Select(d => new PageFact
                {
                    Key = d.Id,
                    Kind = PageFact.DefinitionKind,
                    Value = d.StableKey,
                    FirstName = d.Credentials == DefinitionCredentials.Organization || d.SuppliedBy == CredentialSupplier.Organization ? OrganizationSupplied : "",
                    LastName = "",
                }));
        }
        return facts;
    }

    private const string OrganizationSupplied = "ORGANIZATION";

    private static List<string> SortedDistinct(IEnumerable<string> values) => values.Distinct().Order(StringComparer.Ordinal).ToList();

    public static async Task<ConnectionDto> ToDtoAsync(this PlugboardDb db, IConnectionUsage usage, AppConnection row, Caller viewer, CancellationToken ct) =>
        (await db.ToDtosAsync(usage, [row], viewer, ct))[0];

    private static ConnectionDto ToDto(AppConnection c, OwnerDto? owner, IReadOnlyList<string> projectIds, IReadOnlyList<string> flowIds, PageFact? definition) => new(
        c.Id, c.Created, c.Updated, c.ExternalId, c.DisplayName, c.Type, c.PieceName, c.PieceVersion, projectIds, c.PlatformId,
        c.Scope, c.Status, c.StatusReason, c.StatusChangedAt, c.ExpiresAt, c.NextRefreshAt, c.OwnerId, owner, Validate.ParseMetadata(c.Metadata), flowIds, c.PreSelectForNewProjects,
        definition?.Value,
        definition is null ? null : definition.FirstName == OrganizationSupplied ? CredentialSupplier.Organization : CredentialSupplier.Customer,
        c.Embedded);
}
