using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Audit;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Outbox;

namespace Plugboard.Server.Connections;

/// One upsert, field by field. ValueJson is the checked (and claimed) value, still in plain text: the upserter encrypts it.
public sealed record UpsertCommand
{
    public required Caller Caller { get; init; }

    public required ConnectionScope Scope { get; init; }

    /// The project's id for a PROJECT connection, AppConnection.PlatformScopeKey for a global one.
    public required string ScopeKey { get; init; }

    public required string ExternalId { get; init; }

    public required string DisplayName { get; init; }

    public required string PieceName { get; init; }

    /// Null keeps the stored version on an update.
    public required string? PieceVersion { get; init; }

    public required ConnectionType Type { get; init; }

    public required string ValueJson { get; init; }

    public required string? MetadataText { get; init; }

    /// False leaves the stored metadata alone on an update; true writes MetadataText, null included.
    public required bool MetadataGiven { get; init; }

    /// Null leaves the stored flag alone on an update (false on a create).
    public required bool? PreSelectForNewProjects { get; init; }

    /// The projects the connection is linked to: its own for a PROJECT connection, those it is shared with for a
    /// global one (where null leaves them alone on an update).
    public required IReadOnlyList<string>? ProjectIds { get; init; }

    /// An OAuth2 token's expiry and next refresh; null for every other type.
    public DateTime? ExpiresAt { get; init; }
    public DateTime? NextRefreshAt { get; init; }

    /// The definition the connection inherits from (ValueJson is then its own part only); null for a self-contained one.
    /// A connection made from a definition is changed only through it: an upsert naming another (or none) is refused.
    public string? DefinitionId { get; init; }

    /// Whether embedded users see it; null leaves it alone on an update (true on a create).
    public bool? Embedded { get; init; }
}

/// The connection as the upsert left it, and whether the upsert created it (201) or updated it (200).
public sealed record Upserted(AppConnection Connection, bool Created);

/// Upsert by externalId within its scope. The unique index on (platform, scope key, externalId) makes
/// "create" safe under concurrency: a losing insert retries as an update. An upsert replaces the whole
/// credential, so its update is one atomic statement (last writer wins, version bumped in the database);
/// read-modify-write paths such as a token refresh compare-and-swap on the version instead.
public sealed class ConnectionUpserter(PlugboardDb db, SecretProtector protector, TimeProvider time)
{
    private const int MaxAttempts = 5;

    public async Task<Outcome<Upserted>> UpsertAsync(UpsertCommand command, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            db.ChangeTracker.Clear();
            try
            {
                // Create first: most upserts of a new externalId then cost one statement, not a lookup too.
                var connection = Create(command);
                if (await TryInsertAsync(connection, command, ct))
                {
                    return new Upserted(connection, Created: true);
                }
                var existing = await db.AppConnections
                    .Where(c => c.PlatformId == command.Caller.PlatformId && c.ScopeKey == command.ScopeKey && c.ExternalId == command.ExternalId)
                    .Select(c => new { c.Id, c.DefinitionId, c.Status })
                    .FirstOrDefaultAsync(ct);
                if (existing?.DefinitionId is not null && existing.DefinitionId != command.DefinitionId)
                {
                    return ApiError.Validation(
                        $"Connection '{command.ExternalId}' is made from a connection definition: change it through the definition (POST /api/v1/app-connections with its \"definition\", or /api/v1/connection-definitions).",
                        "externalId");
                }
                var existingId = existing?.Id;
                // New credentials on an ERROR connection are its recovery (a webhook event, written with the change).
                if (existingId is not null && await UpdateAsync(existingId, command, existing!.Status == ConnectionStatus.Error, ct))
                {
                    return new Upserted(await db.AppConnections.AsNoTracking().FirstAsync(c => c.Id == existingId, ct), Created: false);
                }
            }
            catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || e.IsUniqueViolation())
            {
                // Another writer created the row or changed its project links first: the next attempt sees it.
            }
        }
        db.ChangeTracker.Clear();
        return ApiError.Conflict(ErrorCodes.ConcurrentUpdate, "The connection is being changed by other requests; retry.");
    }

    /// Inserts the row, its project links and its audit event in one batch, unless the externalId is taken in
    /// its scope: then false, and nothing is written. ON CONFLICT DO NOTHING answers a taken externalId without
    /// an error on both engines; the links and the event are guarded by the row's fresh id, so they are written
    /// exactly when the row is. One round trip and a commit, like a plain insert.
    private async Task<bool> TryInsertAsync(AppConnection c, UpsertCommand command, CancellationToken ct)
    {
        var audit = AuditLog.Create(time, c.PlatformId, command.Caller.ActorType, command.Caller.ActorId, "connection.created",
            "app_connection", c.Id, ProjectOf(command), AuditDetails(command));
        var sql = new SqlBatch(db.Database.GetDbConnection());
        var id = sql.P(c.Id);
        sql.Append($"""
            INSERT INTO app_connections (id, platform_id, external_id, scope, scope_key, display_name, display_name_search,
                piece_name, piece_version, type, status, owner_id, value, metadata, pre_select_for_new_projects, version, created, updated,
                status_changed_at, expires_at, next_refresh_at, refresh_failure_count, refresh_failure_days, definition_id, embedded)
            VALUES ({id}, {sql.P(c.PlatformId)}, {sql.P(c.ExternalId)}, {sql.P(c.Scope.ToString())}, {sql.P(c.ScopeKey)},
                {sql.P(c.DisplayName)}, {sql.P(c.DisplayNameSearch)}, {sql.P(c.PieceName)}, {sql.P(c.PieceVersion)}, {sql.P(c.Type.ToString())},
                {sql.P(c.Status.ToString())}, {sql.P(c.OwnerId)}, {sql.P(c.Value)}, {sql.P(c.Metadata)}, {sql.P(c.PreSelectForNewProjects)},
                {sql.P(c.Version)}, {sql.P(c.Created)}, {sql.P(c.Updated)},
                {sql.P(c.StatusChangedAt)}, {sql.P(c.ExpiresAt)}, {sql.P(c.NextRefreshAt)}, 0, 0, {sql.P(c.DefinitionId)}, {sql.P(c.Embedded)})
            ON CONFLICT (platform_id, scope_key, external_id) DO NOTHING;
            """);
        var ours = $"WHERE EXISTS (SELECT 1 FROM app_connections WHERE id = {id})";
        foreach (var link in c.Projects)
        {
            sql.Append($"""
                INSERT INTO app_connection_projects (connection_id, project_id, platform_id)
                SELECT {id}, {sql.P(link.ProjectId)}, {sql.P(link.PlatformId)} {ours};
                """);
        }
        sql.Append($"""
            INSERT INTO audit_events (id, platform_id, project_id, action, actor_type, actor_id, entity_type, entity_id, details, created)
            SELECT {sql.P(audit.Id)}, {sql.P(audit.PlatformId)}, CAST({sql.P(audit.ProjectId)} AS TEXT), {sql.P(audit.Action)},
                {sql.P(audit.ActorType)}, {sql.P(audit.ActorId)}, {sql.P(audit.EntityType)}, {sql.P(audit.EntityId)},
                CAST({sql.P(audit.Details)} AS TEXT), {sql.P(audit.Created)} {ours};
            """);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var written = await db.Database.ExecuteSqlRawAsync(sql.Text, sql.Parameters, ct);
        if (written > 0 && command.Scope == ConnectionScope.Platform)
        {
            await db.RemoveSupersededAsync(c.PlatformId, c.Id, c.ExternalId, ct);
        }
        if (written > 0)
        {
            await db.AddEventAsync(time, c, WebhookEvents.Created, ct);
            await db.SaveChangesAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return written > 0;
    }

    /// New credentials put the connection back to ACTIVE (a "reconnect"). False when the row vanished meanwhile.
    private async Task<bool> UpdateAsync(string id, UpsertCommand command, bool recovering, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var value = protector.Protect(command.ValueJson, ConnectionSecrets.ValueContext(command.Caller.PlatformId, id));
        var now = time.UtcNow();
        var (expiresAt, nextRefreshAt) = (command.ExpiresAt, command.NextRefreshAt);
        var updated = await db.AppConnections.Where(c => c.Id == id).ExecuteUpdateAsync(s =>
        {
            s.SetProperty(c => c.DisplayName, command.DisplayName)
                .SetProperty(c => c.DisplayNameSearch, SearchText.Fold(command.DisplayName))
                .SetProperty(c => c.PieceName, command.PieceName)
                .SetProperty(c => c.PieceVersion, c => command.PieceVersion ?? c.PieceVersion)
                .SetProperty(c => c.Type, command.Type)
                .SetProperty(c => c.StatusChangedAt, c => c.Status != ConnectionStatus.Active ? now : c.StatusChangedAt)
                .SetProperty(c => c.Status, ConnectionStatus.Active)
                .SetProperty(c => c.StatusReason, (string?)null)
                .SetProperty(c => c.Value, value)
                .SetProperty(c => c.OwnerId, c => c.OwnerId ?? command.Caller.OwnerUserId)
                .SetProperty(c => c.ExpiresAt, expiresAt)
                .SetProperty(c => c.NextRefreshAt, nextRefreshAt)
                .SetProperty(c => c.RefreshFailureCount, 0)
                .SetProperty(c => c.RefreshFailureDays, 0)
                .SetProperty(c => c.LastRefreshFailureAt, (DateTime?)null)
                .SetProperty(c => c.RefreshIndeterminateAt, (DateTime?)null)
                .SetProperty(c => c.DefinitionId, command.DefinitionId)
                .SetProperty(c => c.Version, c => c.Version + 1)
                .SetProperty(c => c.Updated, now);
            if (command.MetadataGiven)
            {
                s.SetProperty(c => c.Metadata, command.MetadataText);
            }
            if (command.PreSelectForNewProjects is { } preSelect)
            {
                s.SetProperty(c => c.PreSelectForNewProjects, preSelect);
            }
            if (command.Embedded is { } embedded)
            {
                s.SetProperty(c => c.Embedded, embedded);
            }
        }, ct);
        if (updated == 0)
        {
            return false;
        }
        if (command.Scope == ConnectionScope.Platform && command.ProjectIds is not null)
        {
            var connection = await db.AppConnections.Include(c => c.Projects).FirstAsync(c => c.Id == id, ct);
            ReplaceProjects(connection, command.ProjectIds);
        }
        Audit(command, "connection.updated", id);
        await db.SaveChangesAsync(ct);
        if (recovering)
        {
            await db.AddEventAsync(time, await db.AppConnections.AsNoTracking().FirstAsync(c => c.Id == id, ct), WebhookEvents.Recovered, ct);
            await db.SaveChangesAsync(ct);
        }
        if (command.Scope == ConnectionScope.Platform)
        {
            await db.RemoveSupersededAsync(command.Caller.PlatformId, id, command.ExternalId, ct);
        }
        await transaction.CommitAsync(ct);
        return true;
    }

    private void Audit(UpsertCommand command, string action, string id) =>
        db.Record(time, command.Caller, action, "app_connection", id, ProjectOf(command), AuditDetails(command));

    private static string? ProjectOf(UpsertCommand command) => command.Scope == ConnectionScope.Project ? command.ScopeKey : null;

    private static object AuditDetails(UpsertCommand command) =>
        new { command.ExternalId, command.DisplayName, command.PieceName, Scope = WireEnum<ConnectionScope>.Name(command.Scope) };

    private AppConnection Create(UpsertCommand command)
    {
        var now = time.UtcNow();
        var id = Ids.New();
        var connection = new AppConnection
        {
            Id = id,
            PlatformId = command.Caller.PlatformId,
            ExternalId = command.ExternalId,
            Scope = command.Scope,
            ScopeKey = command.ScopeKey,
            DisplayName = command.DisplayName,
            PieceName = command.PieceName,
            PieceVersion = command.PieceVersion,
            Type = command.Type,
            Status = ConnectionStatus.Active,
            OwnerId = command.Caller.OwnerUserId,
            Value = protector.Protect(command.ValueJson, ConnectionSecrets.ValueContext(command.Caller.PlatformId, id)),
            Metadata = command.MetadataText,
            PreSelectForNewProjects = command.PreSelectForNewProjects ?? false,
            Version = 1,
            Created = now,
            Updated = now,
            StatusChangedAt = now,
            ExpiresAt = command.ExpiresAt,
            NextRefreshAt = command.NextRefreshAt,
            DefinitionId = command.DefinitionId,
            Embedded = command.Embedded ?? true,
        };
        foreach (var projectId in (command.ProjectIds ?? []).Distinct())
        {
            connection.Projects.Add(new AppConnectionProject { ConnectionId = id, ProjectId = projectId, PlatformId = connection.PlatformId });
        }
        return connection;
    }

    public void ReplaceProjects(AppConnection connection, IReadOnlyList<string> projectIds)
    {
        var desired = projectIds.Distinct().ToHashSet();
        foreach (var link in connection.Projects.Where(l => !desired.Contains(l.ProjectId)).ToList())
        {
            connection.Projects.Remove(link);
            db.AppConnectionProjects.Remove(link);
        }
        foreach (var projectId in desired.Except(connection.Projects.Select(l => l.ProjectId)))
        {
            connection.Projects.Add(new AppConnectionProject { ConnectionId = connection.Id, ProjectId = projectId, PlatformId = connection.PlatformId });
        }
    }
}
