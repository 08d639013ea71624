using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Maintenance;

namespace Plugboard.Server.Pages;

/// Rewrap's share of the console: each session's API key and each Data Protection key move to the newest key, by
/// compare-and-swap on the ciphertext, so an old key can be retired without signing anyone out or voiding a form.
internal sealed class ConsoleRewrap : IRewrapStep
{
    public async Task<(int Examined, int Rewrapped)> MoveAsync(PlugboardDb db, SecretProtector protector, string prefix, List<string> failed, CancellationToken ct)
    {
        var rewrapped = 0;
        var sessions = await db.ConsoleSessions.AsNoTracking().Select(s => new { s.Id, s.ApiKey }).ToListAsync(ct);
        foreach (var session in sessions.Where(s => !s.ApiKey.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var context = ConsoleSessions.ContextOf(session.Id);
            if (Move(protector, session.ApiKey, context, session.Id, failed) is { } moved)
            {
                rewrapped += await db.ConsoleSessions.Where(s => s.Id == session.Id && s.ApiKey == session.ApiKey)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.ApiKey, moved), ct);
            }
        }
        var keys = await db.DataProtectionKeys.AsNoTracking().ToListAsync(ct);
        foreach (var key in keys)
        {
            var xml = XElement.Parse(key.Xml);
            var sealedParts = xml.Descendants(ConsoleKeyEncryptor.ElementName).Where(e => !e.Value.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            if (sealedParts.Count == 0)
            {
                continue;
            }
            var movedAll = true;
            foreach (var part in sealedParts)
            {
                if (Move(protector, part.Value, ConsoleKeyEncryptor.Context, key.Id, failed) is { } moved)
                {
                    part.Value = moved;
                }
                else
                {
                    movedAll = false;
                }
            }
            if (movedAll)
            {
                var text = xml.ToString(SaveOptions.DisableFormatting);
                rewrapped += await db.DataProtectionKeys.Where(k => k.Id == key.Id && k.Xml == key.Xml)
                    .ExecuteUpdateAsync(s => s.SetProperty(k => k.Xml, text), ct);
            }
        }
        return (sessions.Count + keys.Count, rewrapped);
    }

    public async Task<bool> AnyOldAsync(PlugboardDb db, string prefix, CancellationToken ct) =>
        await db.ConsoleSessions.AnyAsync(s => !s.ApiKey.StartsWith(prefix), ct) ||
        await db.DataProtectionKeys.AnyAsync(k => k.Xml.Contains("<" + ConsoleKeyEncryptor.ElementName + ">") && !k.Xml.Contains("<" + ConsoleKeyEncryptor.ElementName + ">" + prefix), ct);

    private static string? Move(SecretProtector protector, string sealedValue, SecretContext context, string id, List<string> failed)
    {
        var moved = protector.TryRewrap(sealedValue, context);
        if (moved is null)
        {
            failed.Add(id);
        }
        return moved;
    }
}
