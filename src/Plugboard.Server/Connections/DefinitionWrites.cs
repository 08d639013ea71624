using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Audit;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Pieces;
using Plugboard.Server.Projects;

namespace Plugboard.Server.Connections;

/// Creating, changing and deleting definitions. Everything is checked (and an organization credential claimed) before
/// anything is written; an ORGANIZATION definition then writes its one global connection through the upserter.
public sealed class DefinitionWrites(
    PlugboardDb db, SecretProtector protector, PieceAuthCheck pieces, IConnectionClaim claims, ConnectionUpserter upserter, IConnectionUsage usage,
    TimeProvider time)
{
    public sealed record Written(ConnectionDefinition Definition, bool Created);

    /// What an ORGANIZATION definition's global connection is to hold, worked out before anything is written.
    private sealed record OrganizationPart(ClaimedValue Claimed, IReadOnlyList<string>? ProjectIds);

    // Each write replaces state, so identical requests arriving together rerun from their first read after losing a race
    // (ConflictRetry) and all end in the same state, as the other upserts of this API do.
    public Task<Outcome<Written>> UpsertAsync(Caller caller, UpsertConnectionDefinitionRequest body, CancellationToken ct) =>
        db.RetryOnConflictAsync(() => UpsertOnceAsync(caller, body, ct), () => Changed(), ct);

    public Task<Outcome<ConnectionDefinition>> UpdateAsync(Caller caller, string idOrKey, UpdateConnectionDefinitionRequest body, CancellationToken ct) =>
        db.RetryOnConflictAsync(() => UpdateOnceAsync(caller, idOrKey, body, ct), () => Changed(), ct);

    public Task<Outcome<ConnectionDefinition>> SetTestValueAsync(Caller caller, string idOrKey, JsonElement? value, CancellationToken ct) =>
        db.RetryOnConflictAsync(() => SetTestValueOnceAsync(caller, idOrKey, value, ct), () => Changed(), ct);

    public Task<Outcome<ConnectionDefinition>> RemoveTestValueAsync(Caller caller, string idOrKey, CancellationToken ct) =>
        db.RetryOnConflictAsync(() => RemoveTestValueOnceAsync(caller, idOrKey, ct), () => Changed(), ct);

    private async Task<Outcome<Written>> UpsertOnceAsync(Caller caller, UpsertConnectionDefinitionRequest body, CancellationToken ct)
    {
        var invalid = Validate.FirstError(
            DefinitionChecks.StableKey(body.StableKey),
            Validate.Text(body.DisplayName, "displayName"),
            PieceNames.Check(body.PieceName, "pieceName"),
            ConnectionRequests.CheckPieceVersion(body.PieceVersion),
            CheckProxyBaseUrl(body.ProxyBaseUrl));
        if (invalid is not null)
        {
            return invalid;
        }
        if (!WireEnum<ConnectionType>.TryParse(body.Type, out var type))
        {
            return ApiError.Validation($"type must be one of {string.Join(", ", WireEnum<ConnectionType>.Names)}.", "type");
        }
        if (!WireEnum<DefinitionCredentials>.TryParse(body.Credentials, out var credentials))
        {
            return ApiError.Validation("credentials must be ORGANIZATION (one credential of yours for every customer) or CUSTOMER (each project its own).", "credentials");
        }
        CredentialSupplier? suppliedBy = null;
        if (body.SuppliedBy is not null)
        {
            if (credentials == DefinitionCredentials.Organization)
            {
                return ApiError.Validation("suppliedBy applies to CUSTOMER credentials only: an ORGANIZATION credential is always yours.", "suppliedBy");
            }
            if (!WireEnum<CredentialSupplier>.TryParse(body.SuppliedBy, out var supplier))
            {
                return ApiError.Validation("suppliedBy must be CUSTOMER (the end user authenticates) or ORGANIZATION (you supply it for them).", "suppliedBy");
            }
            suppliedBy = supplier;
        }
        else if (credentials == DefinitionCredentials.Customer)
        {
            suppliedBy = CredentialSupplier.Customer;
        }
        if (credentials == DefinitionCredentials.Customer && (body.Value is not null || body.ProjectIds is not null))
        {
            return ApiError.Validation(
                "value and projectIds belong to ORGANIZATION credentials: each project's value of a CUSTOMER definition is created with POST /api/v1/app-connections {projectId, definition, value}.",
                body.Value is not null ? "value" : "projectIds");
        }
        if (!DefinitionChecks.GlobalValues(type, body.GlobalValues, time).TryGetValue(out var globals, out invalid) ||
            (invalid = await db.CheckProjectsExistAsync(caller, body.ProjectIds, ct)) is not null)
        {
            return invalid;
        }
        var fit = await pieces.CheckAsync(caller.PlatformId, body.PieceName!, body.PieceVersion, type, null, ct);
        if (!fit.TryGetValue(out var piece, out var misfit))
        {
            return misfit;
        }

        var draft = new ConnectionDefinition
        {
            Id = Ids.New(),
            PlatformId = caller.PlatformId,
            StableKey = body.StableKey!,
            DisplayName = body.DisplayName!,
            PieceName = body.PieceName!,
            PieceVersion = piece.PieceVersion,
            Type = type,
            Credentials = credentials,
            SuppliedBy = suppliedBy,
            Embedded = body.Embedded ?? false,
            ProxyBaseUrl = body.ProxyBaseUrl,
            GlobalValues = "",
            GlobalValueKeys = "[]",
            Created = time.UtcNow(),
        };
        // Checked and claimed (an OAuth2 code exchange may call the provider) before the key is locked.
        OrganizationPart? organization = null;
        if (credentials == DefinitionCredentials.Organization)
        {
            IReadOnlyList<string> projects = body.ProjectIds is { } narrowed ? narrowed : await AllProjectsAsync(caller, ct);
            var part = await OrganizationPartAsync(draft, globals, body.Value, projects, ct);
            if (!part.TryGetValue(out organization, out var partError))
            {
                return partError;
            }
        }

        // Identical upserts arriving together queue on the stable key: the second one updates what the first created.
        ConnectionDefinition definition;
        bool created;
        await using (var transaction = await db.BeginKeyLockedAsync($"connection_definitions:{caller.PlatformId}:{body.StableKey}", ct))
        {
            var existing = await db.ConnectionDefinitions.FirstOrDefaultAsync(d => d.PlatformId == caller.PlatformId && d.StableKey == body.StableKey, ct);
            if (existing is not null && (existing.Type != type || existing.Credentials != credentials || existing.PieceName != body.PieceName) &&
                await db.AppConnections.CountAsync(c => c.DefinitionId == existing.Id, ct) is > 0 and var count)
            {
                return ApiError.Validation(
                    $"Definition '{body.StableKey}' has {count} connection(s): its pieceName, type and credentials cannot change while they exist.", "type");
            }
            (definition, created) = existing is null ? (draft, true) : (existing, false);
            definition.DisplayName = draft.DisplayName;
            definition.PieceName = draft.PieceName;
            definition.PieceVersion = draft.PieceVersion;
            definition.Type = type;
            definition.Credentials = credentials;
            definition.SuppliedBy = suppliedBy;
            definition.Embedded = draft.Embedded;
            definition.ProxyBaseUrl = draft.ProxyBaseUrl;
            SetGlobals(definition, globals);
            var saved = await SaveAsync(caller, definition, created ? "connection_definition.created" : "connection_definition.updated", ct);
            if (!saved.TryGetValue(out _, out var saveError))
            {
                return saveError;
            }
            await transaction.CommitAsync(ct);
        }
        if (organization is not null && await WriteOrganizationConnectionAsync(caller, definition, organization, preSelect: body.ProjectIds is null, ct) is { } failed)
        {
            return failed;
        }
        return new Written(definition, created);
    }

    private async Task<Outcome<ConnectionDefinition>> UpdateOnceAsync(Caller caller, string idOrKey, UpdateConnectionDefinitionRequest body, CancellationToken ct)
    {
        var definition = await FindAsync(caller, idOrKey, ct);
        if (definition is null)
        {
            return NotFound(idOrKey);
        }
        if ((Validate.Text(body.DisplayName, "displayName", required: false) ?? CheckProxyBaseUrl(body.ProxyBaseUrl)) is { } invalid)
        {
            return invalid;
        }
        if (definition.Credentials == DefinitionCredentials.Customer && (body.Value is not null || body.ProjectIds is not null))
        {
            return ApiError.Validation("value and projectIds belong to ORGANIZATION credentials.", body.Value is not null ? "value" : "projectIds");
        }
        var globals = InheritedValues.ParseObject(protector.GlobalsOf(definition));
        if (body.GlobalValues is { } patch)
        {
            if (patch.ValueKind != JsonValueKind.Object)
            {
                return ApiError.Validation("globalValues must be an object: the fields to change (null removes one).", "globalValues");
            }
            var patched = JsonMergePatch.Apply(globals, JsonNode.Parse(patch.GetRawText())!.AsObject());
            if (!DefinitionChecks.GlobalValues(definition.Type, JsonSerializer.SerializeToElement(patched), time).TryGetValue(out globals, out invalid))
            {
                return invalid;
            }
        }
        if ((invalid = await db.CheckProjectsExistAsync(caller, body.ProjectIds, ct)) is not null)
        {
            return invalid;
        }
        OrganizationPart? organization = null;
        if (definition.Credentials == DefinitionCredentials.Organization && (body.Value is not null || body.ProjectIds is not null))
        {
            var value = body.Value ?? await OrganizationOwnPartAsync(definition, ct);
            var part = await OrganizationPartAsync(definition, globals, value, body.ProjectIds, ct);
            if (!part.TryGetValue(out organization, out var partError))
            {
                return partError;
            }
        }
        definition.DisplayName = body.DisplayName ?? definition.DisplayName;
        definition.Embedded = body.Embedded ?? definition.Embedded;
        definition.ProxyBaseUrl = body.ProxyBaseUrl ?? definition.ProxyBaseUrl;
        if (body.GlobalValues is not null)
        {
            SetGlobals(definition, globals);
        }
        var saved = await SaveAsync(caller, definition, "connection_definition.updated", ct);
        if (!saved.TryGetValue(out _, out var saveError))
        {
            return saveError;
        }
        if (organization is not null && await WriteOrganizationConnectionAsync(caller, definition, organization, preSelect: body.ProjectIds is null ? null : false, ct) is { } failed)
        {
            return failed;
        }
        return definition;
    }

    /// Sets the test credential: its own part, checked as a customer's value is.
    private async Task<Outcome<ConnectionDefinition>> SetTestValueOnceAsync(Caller caller, string idOrKey, JsonElement? value, CancellationToken ct)
    {
        await using var transaction = await db.BeginLockedAsync(LockedTable.ConnectionDefinitions, caller.PlatformId, idOrKey, ct);
        var definition = await FindAsync(caller, idOrKey, ct);
        if (definition is null)
        {
            return NotFound(idOrKey);
        }
        if (value is not { ValueKind: JsonValueKind.Object })
        {
            return ApiError.Validation("value is required and must be an object: the test credential's own part.", "value");
        }
        var globals = InheritedValues.ParseObject(protector.GlobalsOf(definition));
        if (!DefinitionChecks.Part(definition, globals, value, time).TryGetValue(out var part, out var invalid))
        {
            return invalid;
        }
        definition.TestValue = protector.Protect(part.Own.ToJsonString(), InheritedValues.TestValueContext(definition.PlatformId, definition.Id));
        var saved = await SaveAsync(caller, definition, "connection_definition.test_value_set", ct);
        await transaction.CommitAsync(ct);
        return saved;
    }

    private async Task<Outcome<ConnectionDefinition>> RemoveTestValueOnceAsync(Caller caller, string idOrKey, CancellationToken ct)
    {
        await using var transaction = await db.BeginLockedAsync(LockedTable.ConnectionDefinitions, caller.PlatformId, idOrKey, ct);
        var definition = await FindAsync(caller, idOrKey, ct);
        if (definition is null)
        {
            return NotFound(idOrKey);
        }
        definition.TestValue = null;
        var saved = await SaveAsync(caller, definition, "connection_definition.test_value_removed", ct);
        await transaction.CommitAsync(ct);
        return saved;
    }

    private Task<ConnectionDefinition?> FindAsync(Caller caller, string idOrKey, CancellationToken ct) =>
        db.ConnectionDefinitions.Where(d => d.PlatformId == caller.PlatformId).ByIdOrKey(idOrKey).FirstOrDefaultAsync(ct);

    /// Refused while connections use it, unless `cascade`: then each goes as a delete of it would (the flow guard
    /// included), all or none.
    public async Task<ApiError?> DeleteAsync(Caller caller, string idOrKey, bool cascade, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var definition = await FindAsync(caller, idOrKey, ct);
        if (definition is null)
        {
            return NotFound(idOrKey);
        }
        var connections = await db.AppConnections.Where(c => c.DefinitionId == definition.Id).ToListAsync(ct);
        if (connections.Count > 0 && !cascade)
        {
            return ApiError.Validation(
                $"Definition '{definition.StableKey}' has {connections.Count} {(connections.Count == 1 ? "connection" : "connections")}: delete them first, or delete with ?cascade=true.");
        }
        foreach (var connection in connections)
        {
            if (await db.StageDeleteAsync(usage, protector, time, connection, ct) is { } inUse)
            {
                return ApiError.Validation($"Connection '{connection.ExternalId}' of definition '{definition.StableKey}': {inUse.Detail}");
            }
            // A placeholder left for flows that still name it no longer inherits from anything.
            connection.DefinitionId = null;
            db.Record(time, caller, "connection.deleted", "app_connection", connection.Id,
                connection.Scope == ConnectionScope.Project ? connection.ScopeKey : null, new { connection.ExternalId, connection.DisplayName });
        }
        db.ConnectionDefinitions.Remove(definition);
        db.Record(time, caller, "connection_definition.deleted", "connection_definition", definition.Id, null, new { definition.StableKey, Connections = connections.Count });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Changed();
        }
        await transaction.CommitAsync(ct);
        return null;
    }

    private static ApiError? CheckProxyBaseUrl(string? url) =>
        url is not null && !ProxyBase.IsValid(url)
            ? ApiError.Validation("proxyBaseUrl must be an absolute http(s) URL without query or fragment.", "proxyBaseUrl")
            : null;

    public static ApiError NotFound(string idOrKey) =>
        ApiError.NotFound("connection_definition", idOrKey, $"Connection definition '{idOrKey}' not found.");

    public static ApiError Changed() =>
        ApiError.Conflict(ErrorCodes.ConcurrentUpdate, "The connection definition was changed by another request; read it again and retry.");

    private void SetGlobals(ConnectionDefinition definition, JsonObject globals)
    {
        definition.GlobalValues = protector.Protect(globals.ToJsonString(), InheritedValues.GlobalValuesContext(definition.PlatformId, definition.Id));
        definition.GlobalValueKeys = JsonSerializer.Serialize(InheritedValues.FixedPaths(globals));
        definition.Status = ConnectionStatus.Active;
    }

    private async Task<Outcome<ConnectionDefinition>> SaveAsync(Caller caller, ConnectionDefinition definition, string action, CancellationToken ct)
    {
        var isNew = db.Entry(definition).State == EntityState.Detached;
        if (isNew)
        {
            db.ConnectionDefinitions.Add(definition);
        }
        definition.Version++;
        definition.Updated = time.UtcNow();
        db.Record(time, caller, action, "connection_definition", definition.Id, null,
            new { definition.StableKey, definition.PieceName, Credentials = WireEnum<DefinitionCredentials>.Name(definition.Credentials) });
        await db.SaveChangesAsync(ct);
        return definition;
    }

    /// The organization's own part checked, merged and (OAuth2) claimed, as its global connection will store it.
    private async Task<Outcome<OrganizationPart>> OrganizationPartAsync(
        ConnectionDefinition definition, JsonObject globals, JsonElement? value, IReadOnlyList<string>? projectIds, CancellationToken ct)
    {
        if (!DefinitionChecks.Part(definition, globals, value, time).TryGetValue(out var part, out var invalid))
        {
            return invalid;
        }
        var claim = await claims.CompleteAsync(definition.PlatformId, definition.PieceName, definition.Type, part.Effective, ct);
        if (!claim.TryGetValue(out var claimed, out invalid))
        {
            return invalid;
        }
        return new OrganizationPart(claimed with { ValueJson = InheritedValues.Stored(globals.ToJsonString(), claimed.ValueJson) }, projectIds);
    }

    /// The stored own part of an ORGANIZATION definition's connection, to re-check it against changed global values.
    private async Task<JsonElement?> OrganizationOwnPartAsync(ConnectionDefinition definition, CancellationToken ct)
    {
        var connection = await db.AppConnections.AsNoTracking()
            .FirstOrDefaultAsync(c => c.DefinitionId == definition.Id && c.ScopeKey == AppConnection.PlatformScopeKey, ct);
        return connection is null
            ? null
            : JsonSerializer.Deserialize<JsonElement>(protector.Unprotect(connection.Value, ConnectionSecrets.ValueContext(connection.PlatformId, connection.Id)));
    }

    private async Task<ApiError?> WriteOrganizationConnectionAsync(
        Caller caller, ConnectionDefinition definition, OrganizationPart part, bool? preSelect, CancellationToken ct)
    {
        var upsert = await upserter.UpsertAsync(new UpsertCommand
        {
            Caller = caller,
            Scope = ConnectionScope.Platform,
            ScopeKey = AppConnection.PlatformScopeKey,
            ExternalId = definition.StableKey,
            DisplayName = definition.DisplayName,
            PieceName = definition.PieceName,
            PieceVersion = definition.PieceVersion,
            Type = definition.Type,
            ValueJson = part.Claimed.ValueJson,
            MetadataText = null,
            MetadataGiven = false,
            PreSelectForNewProjects = preSelect,
            ProjectIds = part.ProjectIds,
            ExpiresAt = part.Claimed.ExpiresAt,
            NextRefreshAt = part.Claimed.NextRefreshAt,
            DefinitionId = definition.Id,
        }, ct);
        return upsert.Succeeded ? null : upsert.Error;
    }

    private Task<List<string>> AllProjectsAsync(Caller caller, CancellationToken ct) =>
        db.Projects.Where(p => p.PlatformId == caller.PlatformId).Select(p => p.Id).ToListAsync(ct);
}
