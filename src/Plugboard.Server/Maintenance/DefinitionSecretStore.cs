using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Data;

namespace Plugboard.Server.Maintenance;

/// Connection definitions' global values and test values: few rows, each moved by compare-and-swap on its version
/// (a concurrent change wrote with the newest key already, and moved the version: nothing to move then).
internal sealed class DefinitionSecretStore : ISecretStore
{
    public string Name => "connection definition values";

    public async Task<(int Examined, int Rewrapped)> WalkAsync(PlugboardDb db, SecretPass pass, CancellationToken ct)
    {
        var definitions = await db.ConnectionDefinitions.AsNoTracking().OrderBy(d => d.Id).ToListAsync(ct);
        var rewrapped = 0;
        foreach (var definition in definitions.Where(d => pass.Pending(d.GlobalValues) || (d.TestValue is not null && pass.Pending(d.TestValue))))
        {
            var globals = pass.Rewrapped(definition.GlobalValues, InheritedValues.GlobalValuesContext(definition.PlatformId, definition.Id), definition.Id);
            // One id listed once: a definition whose global values do not open is not opened further.
            var test = globals is null || definition.TestValue is null
                ? null
                : pass.Rewrapped(definition.TestValue, InheritedValues.TestValueContext(definition.PlatformId, definition.Id), definition.Id);
            if (globals is null || (definition.TestValue is not null && test is null) || !pass.Writes)
            {
                continue;
            }
            rewrapped += await db.ConnectionDefinitions.Where(d => d.Id == definition.Id && d.Version == definition.Version)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.GlobalValues, globals).SetProperty(d => d.TestValue, test), ct);
        }
        pass.Report(Name, definitions.Count, definitions.Count);
        return (definitions.Count, rewrapped);
    }

    public Task<bool> AnyOldAsync(PlugboardDb db, string prefix, CancellationToken ct) =>
        db.ConnectionDefinitions.AnyAsync(d => !d.GlobalValues.StartsWith(prefix) || (d.TestValue != null && !d.TestValue.StartsWith(prefix)), ct);
}
