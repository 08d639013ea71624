using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.OAuth;
using Plugboard.Server.OAuth.Outbound;
using Plugboard.Server.Pieces;

namespace Plugboard.Server.Sync;

/// The catalogue items of an import: registered pieces, OAuth providers and OAuth apps, each checked as its own
/// route checks it. Pieces are never pruned: flows of the target may still run on a version the bundle lacks.
public sealed class ImportedCatalogue(PlugboardDb db, SecretProtector protector, OutboundHttp outbound, TimeProvider time)
{
    public async Task<ApiError?> Piece(ImportRun run, SyncItem item, CancellationToken ct)
    {
        var metadata = Read<PieceMetadata>(item.Data["metadata"]);
        if (metadata is null)
        {
            return Invalid(item, "data.metadata must be the piece's metadata.");
        }
        if (PieceRules.Check(metadata) is { } invalid)
        {
            return Invalid(item, invalid.Detail ?? "invalid metadata");
        }
        if (SyncKeys.Piece(metadata.Name!, metadata.Version!) != item.Key)
        {
            return Invalid(item, "the key must be the piece's name@version.");
        }
        var json = JsonSerializer.Serialize(metadata, JsonDefaults.Options);
        var now = time.UtcNow();
        var row = await db.Pieces.FirstOrDefaultAsync(p => p.PlatformId == run.Caller.PlatformId && p.Name == metadata.Name && p.Version == metadata.Version, ct);
        if (row is null)
        {
            db.Pieces.Add(new RegisteredPiece
            {
                Id = Ids.New(), PlatformId = run.Caller.PlatformId, Name = metadata.Name!, Version = metadata.Version!, DisplayName = metadata.DisplayName!,
                Metadata = json, Created = now, Updated = now,
            });
            run.Changed(item, created: true, ["metadata"]);
            return null;
        }
        var changes = SyncJson.Same(JsonNode.Parse(row.Metadata), JsonNode.Parse(json)) ? new List<string>() : ["metadata"];
        if (changes.Count > 0)
        {
            (row.Metadata, row.DisplayName, row.Updated) = (json, metadata.DisplayName!, now);
        }
        run.Changed(item, created: false, changes);
        return null;
    }

    public async Task<ApiError?> Provider(ImportRun run, SyncItem item, CancellationToken ct)
    {
        var provider = Read<OAuthProvider>(item.Data["definition"]);
        if (provider is null || provider.Name != item.Key)
        {
            return Invalid(item, "data.definition must be the provider's entry, named as the key.");
        }
        if (OAuthProvidersApi.Check(provider, outbound) is { } invalid)
        {
            return Invalid(item, invalid.Detail ?? "invalid provider");
        }
        var json = JsonSerializer.Serialize(provider, JsonDefaults.Options);
        var row = await db.OAuthProviders.FirstOrDefaultAsync(p => p.PlatformId == run.Caller.PlatformId && p.Name == provider.Name, ct);
        if (row is null)
        {
            db.OAuthProviders.Add(new PlatformOAuthProvider
            {
                Id = Ids.New(), PlatformId = run.Caller.PlatformId, Name = provider.Name, Definition = json, Created = time.UtcNow(), Updated = time.UtcNow(),
            });
            run.Changed(item, created: true, ["definition"]);
            return null;
        }
        var changes = SyncJson.Same(JsonNode.Parse(row.Definition), JsonNode.Parse(json)) ? new List<string>() : ["definition"];
        if (changes.Count > 0)
        {
            (row.Definition, row.Updated) = (json, time.UtcNow());
        }
        run.Changed(item, created: false, changes);
        return null;
    }

    public async Task<ApiError?> App(ImportRun run, SyncItem item, CancellationToken ct)
    {
        var (pieceName, clientId) = (item.Data["pieceName"]?.GetValueKind() == JsonValueKind.String ? item.Data["pieceName"]!.GetValue<string>() : null,
            item.Data["clientId"]?.GetValueKind() == JsonValueKind.String ? item.Data["clientId"]!.GetValue<string>() : null);
        if (PieceNames.Check(pieceName, "pieceName") is not null || Validate.Text(clientId, "clientId") is not null || SyncKeys.OAuthApp(pieceName!, clientId!) != item.Key)
        {
            return Invalid(item, "data.pieceName and data.clientId are required, and the key is pieceName#clientId.");
        }
        var secret = run.SecretsOf(item)?["clientSecret"] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
        var row = await db.OAuthApps.FirstOrDefaultAsync(a => a.PlatformId == run.Caller.PlatformId && a.PieceName == pieceName && a.ClientId == clientId, ct);
        if (row is null)
        {
            if (secret is null)
            {
                // An app without its secret would refuse every claim: it is created only with one.
                run.NeedsSecrets(item, "clientSecret");
                return null;
            }
            row = new OAuthApp { Id = Ids.New(), PlatformId = run.Caller.PlatformId, PieceName = pieceName!, ClientId = clientId!, ClientSecret = "", Created = time.UtcNow() };
            row.ClientSecret = protector.Protect(secret, OAuthAppSecrets.Context(row));
            row.Updated = time.UtcNow();
            db.OAuthApps.Add(row);
            run.Changed(item, created: true, ["clientSecret"]);
            return null;
        }
        var changes = new List<string>();
        if (secret is not null && protector.Unprotect(row.ClientSecret, OAuthAppSecrets.Context(row)) != secret)
        {
            (row.ClientSecret, row.Updated) = (protector.Protect(secret, OAuthAppSecrets.Context(row)), time.UtcNow());
            changes.Add("clientSecret");
        }
        run.Changed(item, created: false, changes);
        return null;
    }

    /// OAuth providers and apps of the platform that the bundle does not name.
    public async Task PruneAsync(ImportRun run, IReadOnlyList<SyncItem> items, CancellationToken ct)
    {
        var named = items.Select(i => (i.Kind, i.Key)).ToHashSet();
        foreach (var provider in await db.OAuthProviders.Where(p => p.PlatformId == run.Caller.PlatformId).ToListAsync(ct))
        {
            if (!named.Contains((SyncKinds.OAuthProvider, provider.Name)))
            {
                db.OAuthProviders.Remove(provider);
                run.Deleted(SyncKinds.OAuthProvider, provider.Name);
            }
        }
        foreach (var app in await db.OAuthApps.Where(a => a.PlatformId == run.Caller.PlatformId).ToListAsync(ct))
        {
            if (!named.Contains((SyncKinds.OAuthApp, SyncKeys.OAuthApp(app.PieceName, app.ClientId))))
            {
                db.OAuthApps.Remove(app);
                run.Deleted(SyncKinds.OAuthApp, SyncKeys.OAuthApp(app.PieceName, app.ClientId));
            }
        }
    }

    /// The node as the API's own body of that type would be read; null when it is not one.
    private static T? Read<T>(JsonNode? node) where T : class
    {
        try
        {
            return node.Deserialize<T>(JsonDefaults.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static ApiError Invalid(SyncItem item, string why) =>
        ApiError.Validation($"{item.Kind} {item.Key}: {why} Nothing was imported.", "items");
}
