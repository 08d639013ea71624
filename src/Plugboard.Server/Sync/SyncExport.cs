using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.OAuth;
using Plugboard.Server.Pieces;
using Plugboard.Server.Projects;

namespace Plugboard.Server.Sync;

/// A platform's set-up as a bundle: registered pieces, its OAuth providers and apps, connection definitions and the
/// global connections not made from a definition. Projects are named by their externalId (their id differs in every
/// instance); a project without one is left out of the links. No secret unless a sealer is given.
public sealed class SyncExport(PlugboardDb db, SecretProtector protector, TimeProvider time)
{
    public async Task<SyncBundle> ExportAsync(string platformId, SyncSealer? sealer, CancellationToken ct)
    {
        var items = new List<SyncItem>();
        var projectKeys = await db.Projects.AsNoTracking().Where(p => p.PlatformId == platformId && p.ExternalId != null)
            .ToDictionaryAsync(p => p.Id, p => p.ExternalId!, ct);

        foreach (var piece in await db.Pieces.AsNoTracking().Where(p => p.PlatformId == platformId).ToListAsync(ct))
        {
            items.Add(new SyncItem(SyncKinds.Piece, SyncKeys.Piece(piece.Name, piece.Version), new JsonObject { ["metadata"] = JsonNode.Parse(piece.Metadata) }));
        }
        foreach (var provider in await db.OAuthProviders.AsNoTracking().Where(p => p.PlatformId == platformId).ToListAsync(ct))
        {
            items.Add(new SyncItem(SyncKinds.OAuthProvider, provider.Name, new JsonObject { ["definition"] = JsonNode.Parse(provider.Definition) }));
        }
        foreach (var app in await db.OAuthApps.AsNoTracking().Where(a => a.PlatformId == platformId).ToListAsync(ct))
        {
            var key = SyncKeys.OAuthApp(app.PieceName, app.ClientId);
            items.Add(new SyncItem(SyncKinds.OAuthApp, key, new JsonObject { ["pieceName"] = app.PieceName, ["clientId"] = app.ClientId },
                sealer?.Seal(SyncKinds.OAuthApp, key, new JsonObject { ["clientSecret"] = protector.Unprotect(app.ClientSecret, OAuthAppSecrets.Context(app)) })));
        }

        var globals = await db.AppConnections.AsNoTracking().Include(c => c.Projects)
            .Where(c => c.PlatformId == platformId && c.ScopeKey == AppConnection.PlatformScopeKey && c.Status != ConnectionStatus.Missing)
            .ToListAsync(ct);
        foreach (var definition in await db.ConnectionDefinitions.AsNoTracking().Where(d => d.PlatformId == platformId).ToListAsync(ct))
        {
            var organization = globals.FirstOrDefault(c => c.DefinitionId == definition.Id);
            items.Add(DefinitionItem(definition, organization, projectKeys, sealer));
        }
        foreach (var connection in globals.Where(c => c.DefinitionId is null))
        {
            var data = new JsonObject
            {
                ["displayName"] = connection.DisplayName,
                ["pieceName"] = connection.PieceName,
                ["pieceVersion"] = connection.PieceVersion,
                ["type"] = WireEnum<ConnectionType>.Name(connection.Type),
                ["metadata"] = SyncJson.Parse(connection.Metadata),
                ["preSelectForNewProjects"] = connection.PreSelectForNewProjects,
                ["embedded"] = connection.Embedded,
                ["projects"] = ProjectsOf(connection, projectKeys),
            };
            items.Add(new SyncItem(SyncKinds.GlobalConnection, connection.ExternalId, data,
                sealer?.Seal(SyncKinds.GlobalConnection, connection.ExternalId, new JsonObject { ["value"] = JsonNode.Parse(ValueOf(connection)) })));
        }

        var ordered = items
            .OrderBy(i => Array.IndexOf(SyncKinds.Ordered, i.Kind))
            .ThenBy(i => i.Key, StringComparer.Ordinal)
            .ToList();
        return new SyncBundle(SyncBundle.CurrentFormat, time.UtcNow(), sealer?.Sealing, ordered);
    }

    private SyncItem DefinitionItem(ConnectionDefinition definition, AppConnection? organization, Dictionary<string, string> projectKeys, SyncSealer? sealer)
    {
        var data = new JsonObject
        {
            ["displayName"] = definition.DisplayName,
            ["pieceName"] = definition.PieceName,
            ["pieceVersion"] = definition.PieceVersion,
            ["type"] = WireEnum<ConnectionType>.Name(definition.Type),
            ["credentials"] = WireEnum<DefinitionCredentials>.Name(definition.Credentials),
            ["suppliedBy"] = definition.SuppliedBy is { } supplier ? WireEnum<CredentialSupplier>.Name(supplier) : null,
            ["embedded"] = definition.Embedded,
            ["proxyBaseUrl"] = definition.ProxyBaseUrl,
            ["globalValueKeys"] = JsonNode.Parse(definition.GlobalValueKeys),
        };
        if (organization is not null)
        {
            data["projects"] = organization.PreSelectForNewProjects ? null : ProjectsOf(organization, projectKeys);
        }
        if (sealer is null)
        {
            return new SyncItem(SyncKinds.Definition, definition.StableKey, data);
        }
        var secrets = new JsonObject { ["globalValues"] = JsonNode.Parse(protector.GlobalsOf(definition)) };
        if (protector.TestValueOf(definition) is { } test)
        {
            secrets["testValue"] = JsonNode.Parse(test);
        }
        if (organization is not null)
        {
            secrets["value"] = JsonNode.Parse(ValueOf(organization));
        }
        return new SyncItem(SyncKinds.Definition, definition.StableKey, data, sealer.Seal(SyncKinds.Definition, definition.StableKey, secrets));
    }

    private string ValueOf(AppConnection connection) =>
        protector.Unprotect(connection.Value, ConnectionSecrets.ValueContext(connection.PlatformId, connection.Id));

    private static JsonArray ProjectsOf(AppConnection connection, Dictionary<string, string> projectKeys) =>
        new(connection.Projects.Select(l => projectKeys.GetValueOrDefault(l.ProjectId)).OfType<string>()
            .Order(StringComparer.Ordinal).Select(k => (JsonNode?)k).ToArray());
}

/// The stable keys of the kinds whose natural key has two parts.
public static class SyncKeys
{
    public static string Piece(string name, string version) => $"{name}@{version}";

    public static string OAuthApp(string pieceName, string clientId) => $"{pieceName}#{clientId}";
}
