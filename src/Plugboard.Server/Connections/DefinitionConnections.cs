using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Connections;

/// `POST /api/v1/app-connections {projectId, definition, value}`: a project's connection made from a CUSTOMER
/// definition. The customer's part is checked against the definition (no fixed field), the effective value (global
/// values under it) is checked and claimed as any value is, and only the customer's part of the result is stored.
public sealed class DefinitionConnections(PlugboardDb db, SecretProtector protector, PieceAuthCheck pieces, IConnectionClaim claims, TimeProvider time)
{
    public async Task<Outcome<UpsertCommand>> PrepareAsync(Caller caller, string projectId, UpsertConnectionRequest body, CancellationToken ct)
    {
        var definition = await db.VisibleDefinitions(caller).AsNoTracking().FirstOrDefaultAsync(d => d.StableKey == body.Definition, ct);
        if (definition is null)
        {
            return DefinitionWrites.NotFound(body.Definition!);
        }
        if (definition.Credentials == DefinitionCredentials.Organization)
        {
            return ApiError.Validation(
                $"Definition '{definition.StableKey}' uses the organization's credentials: its one global connection is managed through /api/v1/connection-definitions.",
                "definition");
        }
        if (caller.IsUser && definition.Supplier == CredentialSupplier.Organization)
        {
            return ApiError.Authorization($"Connections of '{definition.StableKey}' are managed by the organization: only it can supply their credentials.");
        }
        var externalId = body.ExternalId ?? definition.StableKey;
        var displayName = body.DisplayName ?? definition.DisplayName;
        var invalid = Validate.FirstError(
            Validate.Text(externalId, "externalId", max: Lengths.ExternalId),
            Validate.Text(displayName, "displayName"),
            Validate.Metadata(body.Metadata),
            ConnectionRequests.CheckPieceVersion(body.PieceVersion),
            body.PieceName is not null && body.PieceName != definition.PieceName
                ? ApiError.Validation($"pieceName is the definition's ({definition.PieceName}): leave it out or give the same.", "pieceName")
                : null,
            body.Type is not null && body.Type != WireEnum<ConnectionType>.Name(definition.Type)
                ? ApiError.Validation($"type is the definition's ({WireEnum<ConnectionType>.Name(definition.Type)}): leave it out or give the same.", "type")
                : null);
        if (invalid is not null)
        {
            return invalid;
        }
        var globals = InheritedValues.ParseObject(protector.GlobalsOf(definition));
        if (!DefinitionChecks.Part(definition, globals, body.Value, time).TryGetValue(out var part, out invalid))
        {
            return invalid;
        }
        var effective = part.Effective;
        var fit = await pieces.CheckAsync(caller.PlatformId, definition.PieceName, body.PieceVersion ?? definition.PieceVersion, definition.Type, effective, ct);
        if (!fit.TryGetValue(out var piece, out invalid))
        {
            return invalid;
        }
        var claim = await claims.CompleteAsync(caller.PlatformId, definition.PieceName, definition.Type, effective, ct);
        if (!claim.TryGetValue(out var claimed, out invalid))
        {
            return invalid;
        }
        return new UpsertCommand
        {
            Caller = caller,
            Scope = ConnectionScope.Project,
            ScopeKey = projectId,
            ExternalId = externalId,
            DisplayName = displayName,
            PieceName = definition.PieceName,
            PieceVersion = piece.PieceVersion,
            Type = definition.Type,
            ValueJson = InheritedValues.Stored(globals.ToJsonString(), claimed.ValueJson),
            MetadataText = Validate.MetadataText(body.Metadata),
            MetadataGiven = body.Metadata is not null,
            PreSelectForNewProjects = null,
            ProjectIds = [projectId],
            ExpiresAt = claimed.ExpiresAt,
            NextRefreshAt = claimed.NextRefreshAt,
            DefinitionId = definition.Id,
        };
    }
}
