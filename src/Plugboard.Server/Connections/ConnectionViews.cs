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
        caller.ProjectId is null
            ? db.AppConnections.Where(c => c.PlatformId == caller.PlatformId)
            : db.VisibleIn(caller.PlatformId, caller.ProjectId);

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
    };

    public static ApiError NotFound(string id) => ApiError.NotFound("app_connection", id, "Connection not found");

    /// A project-scoped viewer (project key, embedded session) sees a global connection as its own project sees it:
    /// `projectIds` is that project alone and `flowIds` its flows only, so no tenant learns which other projects
    /// share the connection or what their flows are. Platform keys see every project.
    public static async Task<IReadOnlyList<ConnectionDto>> ToDtosAsync(this PlugboardDb db, IConnectionUsage usage, IReadOnlyList<AppConnection> rows, Caller viewer,
        CancellationToken ct)
    {
        var ownerIds = rows.Where(r => r.OwnerId is not null).Select(r => r.OwnerId!).Distinct().ToList();
        var owners = ownerIds.Count == 0
            ? []
            : await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, ct);
        var globalIds = rows.Where(r => r.Scope == ConnectionScope.Platform).Select(r => r.Id).ToList();
        var links = globalIds.Count == 0
            ? Array.Empty<AppConnectionProject>().ToLookup(l => l.ConnectionId, l => l.ProjectId)
            : (await db.AppConnectionProjects.AsNoTracking()
                    .Where(l => globalIds.Contains(l.ConnectionId) && (viewer.ProjectId == null || l.ProjectId == viewer.ProjectId))
                    .ToListAsync(ct))
                .ToLookup(l => l.ConnectionId, l => l.ProjectId);
        IReadOnlyList<string> ProjectsOf(AppConnection c) => c.Scope == ConnectionScope.Project ? [c.ScopeKey] : links[c.Id].Order(StringComparer.Ordinal).ToList();
        var flowIds = await usage.FlowIdsAsync(rows, ProjectsOf, ct);
        return rows.Select(c => ToDto(c,
                c.OwnerId is not null && owners.TryGetValue(c.OwnerId, out var owner) ? new OwnerDto(owner.Email, owner.FirstName, owner.LastName) : null,
                ProjectsOf(c), flowIds[c.Id].ToList()))
            .ToList();
    }

    public static async Task<ConnectionDto> ToDtoAsync(this PlugboardDb db, IConnectionUsage usage, AppConnection row, Caller viewer, CancellationToken ct) =>
        (await db.ToDtosAsync(usage, [row], viewer, ct))[0];

    private static ConnectionDto ToDto(AppConnection c, OwnerDto? owner, IReadOnlyList<string> projectIds, IReadOnlyList<string> flowIds) => new(
        c.Id, c.Created, c.Updated, c.ExternalId, c.DisplayName, c.Type, c.PieceName, c.PieceVersion, projectIds, c.PlatformId,
        c.Scope, c.Status, c.StatusReason, c.StatusChangedAt, c.ExpiresAt, c.NextRefreshAt, c.OwnerId, owner, Validate.ParseMetadata(c.Metadata), flowIds, c.PreSelectForNewProjects);
}
