using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Pieces;

namespace Plugboard.Server.Sync;

/// The connection items of an import: definitions (with an ORGANIZATION definition's one global connection) and
/// global connections. What arrives without its secrets keeps the secrets it has here; a new one is created MISSING
/// until they are supplied (a MISSING connection is never served), and listed under needsSecrets.
public sealed class ImportedConnections(PlugboardDb db, SecretProtector protector, IConnectionClaim claims, IConnectionUsage usage, TimeProvider time)
{
    public async Task<ApiError?> Definition(ImportRun run, SyncItem item, CancellationToken ct)
    {
        var data = item.Data;
        if (DefinitionChecks.StableKey(item.Key, "key") is not null ||
            !WireEnum<ConnectionType>.TryParse(Text(data, "type"), out var type) ||
            !WireEnum<DefinitionCredentials>.TryParse(Text(data, "credentials"), out var credentials) ||
            Validate.Text(Text(data, "displayName"), "displayName") is not null || PieceNames.Check(Text(data, "pieceName"), "pieceName") is not null)
        {
            return ImportedCatalogue.Invalid(item, "a definition needs a valid stable key, displayName, pieceName, type and credentials.");
        }
        CredentialSupplier? suppliedBy = WireEnum<CredentialSupplier>.TryParse(Text(data, "suppliedBy"), out var supplier) ? supplier : null;
        var secrets = run.SecretsOf(item);
        JsonObject? globals = null;
        if (secrets is not null)
        {
            if (!DefinitionChecks.GlobalValues(type, SyncJson.Element(secrets["globalValues"]), time).TryGetValue(out globals, out var invalid))
            {
                return ImportedCatalogue.Invalid(item, invalid.Detail ?? "invalid globalValues");
            }
        }
        var existing = await db.ConnectionDefinitions.FirstOrDefaultAsync(d => d.PlatformId == run.Caller.PlatformId && d.StableKey == item.Key, ct);
        if (existing is not null && (existing.Type != type || existing.Credentials != credentials || existing.PieceName != Text(data, "pieceName")) &&
            await db.AppConnections.AnyAsync(c => c.DefinitionId == existing.Id && c.ScopeKey != AppConnection.PlatformScopeKey, ct))
        {
            run.Conflict(item, "its pieceName, type or credentials differ here, where connections use it");
            return null;
        }
        var definition = existing ?? new ConnectionDefinition
        {
            Id = Ids.New(), PlatformId = run.Caller.PlatformId, StableKey = item.Key, DisplayName = "", PieceName = "", Type = type, Credentials = credentials,
            GlobalValues = "", GlobalValueKeys = "[]", Status = ConnectionStatus.Missing, Created = time.UtcNow(),
        };
        var changes = new List<string>();
        Set(changes, "displayName", definition.DisplayName, Text(data, "displayName")!, v => definition.DisplayName = v);
        Set(changes, "pieceName", definition.PieceName, Text(data, "pieceName")!, v => definition.PieceName = v);
        Set(changes, "pieceVersion", definition.PieceVersion, Text(data, "pieceVersion"), v => definition.PieceVersion = v);
        Set(changes, "type", definition.Type, type, v => definition.Type = v);
        Set(changes, "credentials", definition.Credentials, credentials, v => definition.Credentials = v);
        Set(changes, "suppliedBy", definition.SuppliedBy, suppliedBy, v => definition.SuppliedBy = v);
        Set(changes, "embedded", definition.Embedded, data["embedded"]?.GetValueKind() == JsonValueKind.True, v => definition.Embedded = v);
        var proxyBaseUrl = Text(data, "proxyBaseUrl");
        if (proxyBaseUrl is not null && !ProxyBase.IsValid(proxyBaseUrl))
        {
            return ImportedCatalogue.Invalid(item, "proxyBaseUrl must be an absolute http(s) URL.");
        }
        Set(changes, "proxyBaseUrl", definition.ProxyBaseUrl, proxyBaseUrl, v => definition.ProxyBaseUrl = v);
        if (globals is not null)
        {
            var current = existing is null ? null : JsonNode.Parse(protector.GlobalsOf(existing));
            if (existing is null || !SyncJson.Same(current, globals) || existing.Status == ConnectionStatus.Missing)
            {
                definition.GlobalValues = protector.Protect(globals.ToJsonString(), InheritedValues.GlobalValuesContext(definition.PlatformId, definition.Id));
                definition.GlobalValueKeys = JsonSerializer.Serialize(InheritedValues.FixedPaths(globals));
                definition.Status = ConnectionStatus.Active;
                changes.Add("globalValues");
            }
            var test = secrets!["testValue"] as JsonObject;
            var currentTest = existing is null ? null : protector.TestValueOf(existing);
            if (!SyncJson.Same(test, SyncJson.Parse(currentTest)))
            {
                definition.TestValue = test is null ? null : protector.Protect(test.ToJsonString(), InheritedValues.TestValueContext(definition.PlatformId, definition.Id));
                changes.Add("testValue");
            }
        }
        else if (existing is null)
        {
            definition.GlobalValues = protector.Protect("{}", InheritedValues.GlobalValuesContext(definition.PlatformId, definition.Id));
            run.NeedsSecrets(item, "globalValues");
        }
        if (changes.Count > 0)
        {
            definition.Version++;
            definition.Updated = time.UtcNow();
        }
        if (existing is null)
        {
            db.ConnectionDefinitions.Add(definition);
        }
        if (credentials == DefinitionCredentials.Organization && await OrganizationConnectionAsync(run, item, definition, globals, changes, ct) is { } error)
        {
            return error;
        }
        run.Changed(item, existing is null, changes);
        return null;
    }

    public async Task<ApiError?> Global(ImportRun run, SyncItem item, CancellationToken ct)
    {
        var data = item.Data;
        if (Validate.Text(item.Key, "key", max: Lengths.ExternalId) is not null || !WireEnum<ConnectionType>.TryParse(Text(data, "type"), out var type) ||
            Validate.Text(Text(data, "displayName"), "displayName") is not null || PieceNames.Check(Text(data, "pieceName"), "pieceName") is not null)
        {
            return ImportedCatalogue.Invalid(item, "a global connection needs a key (its externalId), displayName, pieceName and type.");
        }
        var row = await db.AppConnections.Include(c => c.Projects)
            .FirstOrDefaultAsync(c => c.PlatformId == run.Caller.PlatformId && c.ScopeKey == AppConnection.PlatformScopeKey && c.ExternalId == item.Key, ct);
        if (row?.DefinitionId is not null)
        {
            run.Conflict(item, "here it is the connection of a definition");
            return null;
        }
        var value = run.SecretsOf(item)?["value"];
        var created = row is null;
        row ??= NewGlobal(run, item.Key, type, Text(data, "pieceName")!, Text(data, "displayName")!);
        var changes = new List<string>();
        Set(changes, "displayName", row.DisplayName, Text(data, "displayName")!, v => row.DisplayName = v);
        Set(changes, "pieceName", row.PieceName, Text(data, "pieceName")!, v => row.PieceName = v);
        Set(changes, "pieceVersion", row.PieceVersion, Text(data, "pieceVersion"), v => row.PieceVersion = v);
        Set(changes, "metadata", row.Metadata, data["metadata"] is JsonObject metadata ? metadata.ToJsonString() : null, v => row.Metadata = v,
            (a, b) => SyncJson.Same(SyncJson.Parse(a), SyncJson.Parse(b)));
        Set(changes, "preSelectForNewProjects", row.PreSelectForNewProjects, data["preSelectForNewProjects"]?.GetValueKind() == JsonValueKind.True,
            v => row.PreSelectForNewProjects = v);
        Set(changes, "embedded", row.Embedded, data["embedded"]?.GetValueKind() != JsonValueKind.False, v => row.Embedded = v);
        LinkProjects(row, run.Projects(data["projects"]), changes);
        if (value is not null)
        {
            if (await StoreValueAsync(row, type, value.ToJsonString(), changes, ct) is { } invalid)
            {
                return ImportedCatalogue.Invalid(item, invalid);
            }
        }
        else if (created)
        {
            run.NeedsSecrets(item, "value");
        }
        if (changes.Count > 0 && !created)
        {
            row.Version++;
            row.Updated = time.UtcNow();
        }
        run.Changed(item, created, changes);
        return null;
    }

    /// Global connections and definitions the bundle does not name, through the usual guards: one still used by an
    /// ENABLED flow, or a definition still used by a project's connection, is a conflict, and the import changes nothing.
    public async Task PruneAsync(ImportRun run, IReadOnlyList<SyncItem> items, CancellationToken ct)
    {
        var named = items.Select(i => (i.Kind, i.Key)).ToHashSet();
        var globals = await db.AppConnections
            .Where(c => c.PlatformId == run.Caller.PlatformId && c.ScopeKey == AppConnection.PlatformScopeKey && c.Status != ConnectionStatus.Missing).ToListAsync(ct);
        foreach (var definition in await db.ConnectionDefinitions.Where(d => d.PlatformId == run.Caller.PlatformId).ToListAsync(ct))
        {
            if (named.Contains((SyncKinds.Definition, definition.StableKey)))
            {
                continue;
            }
            if (await db.AppConnections.AnyAsync(c => c.DefinitionId == definition.Id && c.ScopeKey != AppConnection.PlatformScopeKey, ct))
            {
                run.Conflict(SyncKinds.Definition, definition.StableKey, "not in the bundle, but projects' connections use it here");
                continue;
            }
            foreach (var organization in globals.Where(c => c.DefinitionId == definition.Id))
            {
                await DeleteGlobalAsync(run, organization, SyncKinds.Definition, definition.StableKey, ct);
                organization.DefinitionId = null;
            }
            db.ConnectionDefinitions.Remove(definition);
            run.Deleted(SyncKinds.Definition, definition.StableKey);
        }
        foreach (var connection in globals.Where(c => c.DefinitionId is null && !named.Contains((SyncKinds.GlobalConnection, c.ExternalId))))
        {
            if (await DeleteGlobalAsync(run, connection, SyncKinds.GlobalConnection, connection.ExternalId, ct))
            {
                run.Deleted(SyncKinds.GlobalConnection, connection.ExternalId);
            }
        }
    }

    private async Task<bool> DeleteGlobalAsync(ImportRun run, AppConnection connection, string kind, string key, CancellationToken ct)
    {
        if (await db.StageDeleteAsync(usage, protector, time, connection, ct) is { } inUse)
        {
            run.Conflict(kind, key, $"not in the bundle, but here {inUse.Detail}");
            return false;
        }
        return true;
    }

    private async Task<ApiError?> OrganizationConnectionAsync(
        ImportRun run, SyncItem item, ConnectionDefinition definition, JsonObject? globals, List<string> changes, CancellationToken ct)
    {
        var row = await db.AppConnections.Include(c => c.Projects)
            .FirstOrDefaultAsync(c => c.PlatformId == run.Caller.PlatformId && c.ScopeKey == AppConnection.PlatformScopeKey && c.ExternalId == item.Key, ct);
        if (row is not null && row.DefinitionId != definition.Id)
        {
            run.Conflict(item, "here a global connection of this externalId is not the definition's");
            return null;
        }
        var created = row is null;
        row ??= NewGlobal(run, item.Key, definition.Type, definition.PieceName, definition.DisplayName);
        row.DefinitionId = definition.Id;
        row.DisplayName = definition.DisplayName;
        var everyProject = item.Data["projects"] is not JsonArray;
        row.PreSelectForNewProjects = everyProject;
        LinkProjects(row, everyProject ? [.. run.AllProjects] : run.Projects(item.Data["projects"]), changes);
        if (run.SecretsOf(item)?["value"] is JsonObject own && globals is not null)
        {
            // Checked as the definitions route checks it: no fixed field, and a whole value of the type with the globals.
            if (!DefinitionChecks.Part(definition, globals, SyncJson.Element(own), time).TryGetValue(out var part, out var invalid))
            {
                return ImportedCatalogue.Invalid(item, invalid.Detail ?? "invalid value");
            }
            var claimed = await claims.CompleteAsync(definition.PlatformId, definition.PieceName, definition.Type, part.Effective, ct);
            if (!claimed.TryGetValue(out var value, out invalid))
            {
                return ImportedCatalogue.Invalid(item, invalid.Detail ?? "invalid value");
            }
            var stored = InheritedValues.Stored(globals.ToJsonString(), value.ValueJson);
            if (created || row.Status == ConnectionStatus.Missing || !SyncJson.Same(JsonNode.Parse(Decrypt(row)), JsonNode.Parse(stored)))
            {
                Protect(row, stored, value);
                changes.Add("value");
            }
        }
        else if (created)
        {
            run.NeedsSecrets(item, "value");
        }
        return null;
    }

    /// The value checked as any value of its type is, and stored when it differs from what the row holds.
    private async Task<string?> StoreValueAsync(AppConnection row, ConnectionType type, string valueJson, List<string> changes, CancellationToken ct)
    {
        var parsed = ConnectionValue.Parse(type, JsonSerializer.Deserialize<JsonElement>(valueJson), time);
        if (!parsed.TryGetValue(out var checkedValue, out var invalid))
        {
            return invalid.Detail;
        }
        var claimed = await claims.CompleteAsync(row.PlatformId, row.PieceName, type, checkedValue, ct);
        if (!claimed.TryGetValue(out var value, out invalid))
        {
            return invalid.Detail;
        }
        if (row.Status == ConnectionStatus.Missing || row.Type != type || !SyncJson.Same(JsonNode.Parse(Decrypt(row)), JsonNode.Parse(value.ValueJson)))
        {
            row.Type = type;
            Protect(row, value.ValueJson, value);
            changes.Add("value");
        }
        return null;
    }

    private AppConnection NewGlobal(ImportRun run, string externalId, ConnectionType type, string pieceName, string displayName)
    {
        var id = Ids.New();
        var now = time.UtcNow();
        var row = new AppConnection
        {
            Id = id, PlatformId = run.Caller.PlatformId, ExternalId = externalId, Scope = ConnectionScope.Platform, ScopeKey = AppConnection.PlatformScopeKey,
            DisplayName = displayName, PieceName = pieceName, Type = type, Status = ConnectionStatus.Missing, OwnerId = run.Caller.OwnerUserId,
            Value = protector.Protect($$"""{"type":"{{WireEnum<ConnectionType>.Name(type)}}"}""", ConnectionSecrets.ValueContext(run.Caller.PlatformId, id)),
            Version = 1, Created = now, Updated = now, StatusChangedAt = now,
        };
        db.AppConnections.Add(row);
        return row;
    }

    private void Protect(AppConnection row, string valueJson, ClaimedValue claimed)
    {
        row.Value = protector.Protect(valueJson, ConnectionSecrets.ValueContext(row.PlatformId, row.Id));
        row.Status = ConnectionStatus.Active;
        row.StatusReason = null;
        row.StatusChangedAt = time.UtcNow();
        (row.ExpiresAt, row.NextRefreshAt) = (claimed.ExpiresAt, claimed.NextRefreshAt);
    }

    private string Decrypt(AppConnection row) => protector.Unprotect(row.Value, ConnectionSecrets.ValueContext(row.PlatformId, row.Id));

    private void LinkProjects(AppConnection row, IReadOnlyCollection<string> projectIds, List<string> changes)
    {
        var desired = projectIds.ToHashSet(StringComparer.Ordinal);
        var current = row.Projects.Select(l => l.ProjectId).ToHashSet(StringComparer.Ordinal);
        if (desired.SetEquals(current))
        {
            return;
        }
        foreach (var link in row.Projects.Where(l => !desired.Contains(l.ProjectId)).ToList())
        {
            row.Projects.Remove(link);
            db.AppConnectionProjects.Remove(link);
        }
        foreach (var projectId in desired.Except(current))
        {
            row.Projects.Add(new AppConnectionProject { ConnectionId = row.Id, ProjectId = projectId, PlatformId = row.PlatformId });
        }
        changes.Add("projects");
    }

    private static string? Text(JsonObject data, string name) => data[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static void Set<T>(List<string> changes, string field, T current, T wanted, Action<T> set, Func<T, T, bool>? same = null)
    {
        if (!(same ?? EqualityComparer<T>.Default.Equals)(current, wanted))
        {
            set(wanted);
            changes.Add(field);
        }
    }
}
