using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.OAuth;

namespace Plugboard.Server.Maintenance;

public sealed record RewrapReport(int Examined, int Rewrapped, int AlreadyCurrent, IReadOnlyList<string> FailedIds, IReadOnlyList<string> RetiredKeyIds);

/// Moves every stored secret to the newest key. Each row is re-encrypted with a compare-and-swap on
/// its version, so a concurrent write is never overwritten: that row is simply read again.
/// Only when no row uses an old key any more is that key's canary removed. A row that cannot be
/// decrypted is left as it is and reported by id; its key stays required.
/// Run it once every replica has restarted with the new key first, so none still writes with the old one.
public static class Rewrap
{
    private const int BatchSize = 200;

    public static async Task<RewrapReport> RunAsync(PlugboardDb db, SecretProtector protector, CancellationToken ct, IEnumerable<IRewrapStep>? steps = null)
    {
        var more = steps?.ToList() ?? [];
        var primary = protector.Keys.Primary.Id;
        var prefix = $"v1:{primary}:";
        int examined = 0, rewrapped = 0;
        var failed = new List<string>();
        var lastId = "";
        while (true)
        {
            var batch = await db.AppConnections.AsNoTracking()
                .Where(c => string.Compare(c.Id, lastId) > 0)
                .OrderBy(c => c.Id)
                .Select(c => new { c.Id, c.PlatformId, c.Value, c.Version })
                .Take(BatchSize)
                .ToListAsync(ct);
            if (batch.Count == 0)
            {
                break;
            }
            foreach (var row in batch)
            {
                examined++;
                var (value, version) = (row.Value, row.Version);
                while (!value.StartsWith(prefix, StringComparison.Ordinal))
                {
                    var context = ConnectionSecrets.ValueContext(row.PlatformId, row.Id);
                    string moved;
                    try
                    {
                        moved = protector.Protect(protector.Unprotect(value, context), context);
                    }
                    catch (SecretDecryptionException)
                    {
                        failed.Add(row.Id);
                        break;
                    }
                    // The version is left as it is: the secret did not change, only its wrapping.
                    var updated = await db.AppConnections
                        .Where(c => c.Id == row.Id && c.Version == version && c.Value == value)
                        .ExecuteUpdateAsync(s => s.SetProperty(c => c.Value, moved), ct);
                    if (updated == 1)
                    {
                        rewrapped++;
                        break;
                    }
                    var current = await db.AppConnections.AsNoTracking().Where(c => c.Id == row.Id)
                        .Select(c => new { c.Value, c.Version }).FirstOrDefaultAsync(ct);
                    if (current is null)
                    {
                        break;
                    }
                    (value, version) = (current.Value, current.Version);
                }
            }
            lastId = batch[^1].Id;
        }

        var (appsExamined, appsRewrapped) = await RewrapOAuthAppsAsync(db, protector, prefix, failed, ct);
        examined += appsExamined;
        rewrapped += appsRewrapped;
        var (definitionsExamined, definitionsRewrapped) = await RewrapDefinitionsAsync(db, protector, prefix, failed, ct);
        examined += definitionsExamined;
        rewrapped += definitionsRewrapped;
        foreach (var step in more)
        {
            var (stepExamined, stepRewrapped) = await step.MoveAsync(db, protector, prefix, failed, ct);
            examined += stepExamined;
            rewrapped += stepRewrapped;
        }

        var stillOld = await db.AppConnections.AnyAsync(c => !c.Value.StartsWith(prefix), ct) ||
            await db.OAuthApps.AnyAsync(a => !a.ClientSecret.StartsWith(prefix), ct) ||
            await db.ConnectionDefinitions.AnyAsync(d => !d.GlobalValues.StartsWith(prefix) || (d.TestValue != null && !d.TestValue.StartsWith(prefix)), ct) ||
            await AnyOldAsync(more, db, prefix, ct);
        var retired = new List<string>();
        if (!stillOld)
        {
            retired = await db.KeyCanaries.Where(k => k.KeyId != primary).Select(k => k.KeyId).ToListAsync(ct);
            await db.KeyCanaries.Where(k => k.KeyId != primary).ExecuteDeleteAsync(ct);
        }
        return new RewrapReport(examined, rewrapped, examined - rewrapped - failed.Count, failed, retired);
    }

    private static async Task<bool> AnyOldAsync(List<IRewrapStep> steps, PlugboardDb db, string prefix, CancellationToken ct)
    {
        foreach (var step in steps)
        {
            if (await step.AnyOldAsync(db, prefix, ct))
            {
                return true;
            }
        }
        return false;
    }

    /// Connection definitions' global values and test values: few rows, each moved by compare-and-swap on its version.
    private static async Task<(int Examined, int Rewrapped)> RewrapDefinitionsAsync(
        PlugboardDb db, SecretProtector protector, string prefix, List<string> failed, CancellationToken ct)
    {
        var definitions = await db.ConnectionDefinitions.AsNoTracking().OrderBy(d => d.Id).ToListAsync(ct);
        var rewrapped = 0;
        foreach (var definition in definitions.Where(d => !d.GlobalValues.StartsWith(prefix, StringComparison.Ordinal) ||
            (d.TestValue is not null && !d.TestValue.StartsWith(prefix, StringComparison.Ordinal))))
        {
            string globals;
            string? test;
            try
            {
                var globalsContext = InheritedValues.GlobalValuesContext(definition.PlatformId, definition.Id);
                globals = protector.Protect(protector.Unprotect(definition.GlobalValues, globalsContext), globalsContext);
                var testContext = InheritedValues.TestValueContext(definition.PlatformId, definition.Id);
                test = definition.TestValue is null ? null : protector.Protect(protector.Unprotect(definition.TestValue, testContext), testContext);
            }
            catch (SecretDecryptionException)
            {
                failed.Add(definition.Id);
                continue;
            }
            // A concurrent change wrote with the newest key already (and moved the version): nothing to move then.
            rewrapped += await db.ConnectionDefinitions.Where(d => d.Id == definition.Id && d.Version == definition.Version)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.GlobalValues, globals).SetProperty(d => d.TestValue, test), ct);
        }
        return (definitions.Count, rewrapped);
    }

    /// Platform OAuth app secrets: few rows, each moved by compare-and-swap on its ciphertext.
    private static async Task<(int Examined, int Rewrapped)> RewrapOAuthAppsAsync(
        PlugboardDb db, SecretProtector protector, string prefix, List<string> failed, CancellationToken ct)
    {
        var apps = await db.OAuthApps.AsNoTracking().OrderBy(a => a.Id).ToListAsync(ct);
        var rewrapped = 0;
        foreach (var app in apps.Where(a => !a.ClientSecret.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var context = OAuthAppSecrets.Context(app);
            if (protector.TryRewrap(app.ClientSecret, context) is not { } moved)
            {
                failed.Add(app.Id);
                continue;
            }
            var old = app.ClientSecret;
            // A concurrent re-registration wrote a new secret with the newest key already: nothing to move then.
            rewrapped += await db.OAuthApps.Where(a => a.Id == app.Id && a.ClientSecret == old)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.ClientSecret, moved), ct);
        }
        return (apps.Count, rewrapped);
    }
}
