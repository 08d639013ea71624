using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Audit;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Platform;

namespace Plugboard.Server.Connections;

public sealed record UpsertCommand(
    Caller Caller,
    ConnectionScope Scope,
    string ScopeKey,
    string ExternalId,
    string DisplayName,
    string PieceName,
    string? PieceVersion,
    ConnectionType Type,
    string ValueJson,
    string? MetadataText,
    bool MetadataGiven,
    bool? PreSelectForNewProjects,
    IReadOnlyList<string>? ProjectIds);

/// Upsert by externalId within its scope. The unique index on (platform, scope key, externalId) makes
/// "create" safe under concurrency: a losing insert retries as an update. An upsert replaces the whole
/// credential, so its update is one atomic statement (last writer wins, version bumped in the database);
/// read-modify-write paths such as a token refresh compare-and-swap on the version instead.
public sealed class ConnectionUpserter(PlugboardDb db, SecretProtector protector, TimeProvider time)
{
    private const int MaxAttempts = 5;

    public async Task<(AppConnection Connection, bool Created, ApiError? Error)> UpsertAsync(UpsertCommand command, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            db.ChangeTracker.Clear();
            var existingId = await db.AppConnections
                .Where(c => c.PlatformId == command.Caller.PlatformId && c.ScopeKey == command.ScopeKey && c.ExternalId == command.ExternalId)
                .Select(c => c.Id)
                .FirstOrDefaultAsync(ct);
            try
            {
                if (existingId is null)
                {
                    var connection = Create(command);
                    Audit(command, "connection.created", connection.Id);
                    await db.SaveChangesAsync(ct);
                    return (connection, true, null);
                }
                if (await UpdateAsync(existingId, command, ct))
                {
                    return (await db.AppConnections.AsNoTracking().FirstAsync(c => c.Id == existingId, ct), false, null);
                }
            }
            catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || e.IsUniqueViolation())
            {
                // Another writer created the row or changed its project links first: the next attempt sees it.
            }
        }
        db.ChangeTracker.Clear();
        return (null!, false, ApiError.Conflict(ErrorCodes.ConcurrentUpdate, "The connection is being changed by other requests; retry."));
    }

    /// New credentials put the connection back to ACTIVE (a "reconnect"). False when the row vanished meanwhile.
    private async Task<bool> UpdateAsync(string id, UpsertCommand command, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var value = protector.Protect(command.ValueJson, ConnectionSecrets.ValueContext(command.Caller.PlatformId, id));
        var now = time.UtcNow();
        var updated = await db.AppConnections.Where(c => c.Id == id).ExecuteUpdateAsync(s =>
        {
            s.SetProperty(c => c.DisplayName, command.DisplayName)
                .SetProperty(c => c.DisplayNameSearch, SearchText.Fold(command.DisplayName))
                .SetProperty(c => c.PieceName, command.PieceName)
                .SetProperty(c => c.PieceVersion, c => command.PieceVersion ?? c.PieceVersion)
                .SetProperty(c => c.Type, command.Type)
                .SetProperty(c => c.Status, ConnectionStatus.Active)
                .SetProperty(c => c.Value, value)
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
        await transaction.CommitAsync(ct);
        return true;
    }

    private void Audit(UpsertCommand command, string action, string id) =>
        db.Record(time, command.Caller, action, "app_connection", id,
            command.Scope == ConnectionScope.Project ? command.ScopeKey : null,
            new { command.ExternalId, command.DisplayName, command.PieceName, Scope = WireEnum<ConnectionScope>.Name(command.Scope) });

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
        };
        foreach (var projectId in (command.ProjectIds ?? []).Distinct())
        {
            connection.Projects.Add(new AppConnectionProject { ConnectionId = id, ProjectId = projectId, PlatformId = connection.PlatformId });
        }
        db.AppConnections.Add(connection);
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
