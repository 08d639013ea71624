using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Audit;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Sync;

/// Applies a bundle to the caller's platform, matching every item by kind and stable key only, never by id. One
/// transaction: a bundle that fails validation, whose secrets do not open, or that conflicts changes nothing; a dry run
/// reports and changes nothing. Nothing is deleted unless `prune`. Importing the same bundle again reports it unchanged.
public sealed class SyncImport(PlugboardDb db, ImportedCatalogue catalogue, ImportedConnections connections, TimeProvider time)
{
    public async Task<Outcome<SyncReport>> ImportAsync(Caller caller, SyncBundle? bundle, string? passphrase, bool dryRun, bool prune, CancellationToken ct)
    {
        if (Check(bundle) is { } invalid)
        {
            return invalid;
        }
        var opened = Open(bundle!, passphrase);
        if (!opened.TryGetValue(out var secrets, out var sealError))
        {
            return sealError;
        }
        // A concurrent import (or any writer) that wins a race on one of the items makes this one rerun from the start.
        return await db.RetryOnConflictAsync(() => ApplyAsync(caller, bundle!, secrets, dryRun, prune, ct),
            () => ApiError.Conflict(ErrorCodes.ConcurrentUpdate, "The items were changed by other requests while this import ran; retry."), ct);
    }

    private async Task<Outcome<SyncReport>> ApplyAsync(
        Caller caller, SyncBundle bundle, Dictionary<(string, string), JsonObject> secrets, bool dryRun, bool prune, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var run = new ImportRun(caller, secrets, await ProjectIdsAsync(caller.PlatformId, ct));
        foreach (var item in bundle.Items)
        {
            var applied = item.Kind switch
            {
                SyncKinds.Piece => catalogue.Piece(run, item, ct),
                SyncKinds.OAuthProvider => catalogue.Provider(run, item, ct),
                SyncKinds.OAuthApp => catalogue.App(run, item, ct),
                SyncKinds.Definition => connections.Definition(run, item, ct),
                _ => connections.Global(run, item, ct),
            };
            if (await applied is { } itemError)
            {
                return itemError;
            }
        }
        if (prune)
        {
            await catalogue.PruneAsync(run, bundle.Items, ct);
            await connections.PruneAsync(run, bundle.Items, ct);
        }
        var report = run.Report();
        if (report.Conflicts.Count > 0 && !dryRun)
        {
            return ApiError.Conflict(ErrorCodes.SyncConflict,
                $"The bundle conflicts with this instance, so nothing was imported: {string.Join("; ", report.Conflicts.Select(c => $"{c.Kind} {c.Key}: {string.Join(", ", c.Changes)}"))}. " +
                "A dry run (?dryRun=true) lists every item.");
        }
        if (dryRun)
        {
            return report;
        }
        db.Record(time, caller, "sync.imported", "platform", caller.PlatformId, null,
            new { Created = report.Created.Count, Updated = report.Updated.Count, Deleted = report.Deleted.Count, NeedsSecrets = report.NeedsSecrets.Count });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return report;
    }

    private static ApiError? Check(SyncBundle? bundle)
    {
        if (bundle?.Format != SyncBundle.CurrentFormat)
        {
            return ApiError.Validation($"format must be {SyncBundle.CurrentFormat}: this is not a bundle this version reads, and nothing was imported.", "format");
        }
        if (bundle.Items is null)
        {
            return ApiError.Validation("items is required.", "items");
        }
        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < bundle.Items.Count; i++)
        {
            var item = bundle.Items[i];
            if (item is null || !SyncKinds.Ordered.Contains(item.Kind) || string.IsNullOrEmpty(item.Key) || item.Data is null)
            {
                return ApiError.Validation($"items[{i}] must have a kind ({string.Join(", ", SyncKinds.Ordered)}), a key and data.", $"items[{i}]");
            }
            if (!seen.Add((item.Kind, item.Key)))
            {
                return ApiError.Validation($"items[{i}]: {item.Kind} {item.Key} appears twice.", $"items[{i}]");
            }
        }
        return null;
    }

    /// Every item's secrets opened before anything is written: a wrong passphrase changes nothing.
    private static Outcome<Dictionary<(string, string), JsonObject>> Open(SyncBundle bundle, string? passphrase)
    {
        var opened = new Dictionary<(string, string), JsonObject>();
        var sealedItems = bundle.Items.Where(i => i.Secrets is not null).ToList();
        if (sealedItems.Count == 0)
        {
            return opened;
        }
        if (bundle.Sealing is null)
        {
            return ApiError.Validation("sealing is required when items carry secrets.", "sealing");
        }
        if (string.IsNullOrEmpty(passphrase))
        {
            return ApiError.Validation("The bundle's secrets are sealed: send the passphrase in the X-Plugboard-Sync-Passphrase header.", SyncApi.PassphraseHeader);
        }
        var sealer = SyncSealer.For(bundle.Sealing, passphrase);
        if (sealer is null)
        {
            return ApiError.Validation($"sealing must be {SyncSealer.Kdf} with at least {SyncSealer.Iterations:N0} iterations and a base64 salt.", "sealing");
        }
        foreach (var item in sealedItems)
        {
            if (sealer.Open(item.Kind, item.Key, item.Secrets!) is not { } secrets)
            {
                return ApiError.Validation("The passphrase does not open the bundle's secrets (or they were altered): nothing was imported.", SyncApi.PassphraseHeader);
            }
            opened[(item.Kind, item.Key)] = secrets;
        }
        return opened;
    }

    private Task<Dictionary<string, string>> ProjectIdsAsync(string platformId, CancellationToken ct) =>
        db.Set<Projects.Project>().AsNoTracking().Where(p => p.PlatformId == platformId && p.ExternalId != null)
            .ToDictionaryAsync(p => p.ExternalId!, p => p.Id, StringComparer.Ordinal, ct);
}

/// One import's state: who imports, the opened secrets, the target's projects by externalId, and what each item did.
public sealed class ImportRun(Caller caller, Dictionary<(string, string), JsonObject> secrets, Dictionary<string, string> projectIds)
{
    private readonly List<SyncChange> _created = [], _updated = [], _unchanged = [], _needsSecrets = [], _conflicts = [], _deleted = [];

    public Caller Caller { get; } = caller;

    public JsonObject? SecretsOf(SyncItem item) => secrets.GetValueOrDefault((item.Kind, item.Key));

    /// The target's ids of the projects named by externalId; those it does not have are left out.
    public List<string> Projects(JsonNode? externalIds) =>
        (externalIds as JsonArray ?? []).Select(n => n?.GetValue<string>()).OfType<string>()
            .Select(projectIds.GetValueOrDefault).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();

    public IReadOnlyCollection<string> AllProjects => projectIds.Values;

    /// Created or updated when there are changes, unchanged when none.
    public void Changed(SyncItem item, bool created, List<string> changes)
    {
        var change = new SyncChange(item.Kind, item.Key, changes);
        (created ? _created : changes.Count > 0 ? _updated : _unchanged).Add(change);
    }

    public void NeedsSecrets(SyncItem item, string what) => _needsSecrets.Add(new SyncChange(item.Kind, item.Key, [what]));

    public void Conflict(SyncItem item, string why) => _conflicts.Add(new SyncChange(item.Kind, item.Key, [why]));

    public void Conflict(string kind, string key, string why) => _conflicts.Add(new SyncChange(kind, key, [why]));

    public void Deleted(string kind, string key) => _deleted.Add(new SyncChange(kind, key, []));

    public SyncReport Report() => new(_created, _updated, _unchanged, _needsSecrets, _conflicts, _deleted);
}
