using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;
using Plugboard.Server.Maintenance;

namespace Plugboard.Server.Pages;

/// The console's secrets: each session's API key and each Data Protection key move to the newest key, by
/// compare-and-swap on the ciphertext, so an old key can be retired without signing anyone out or voiding a form.
internal sealed class ConsoleRewrap : ISecretStore
{
    public string Name => "console sessions and key ring";

    public async Task<(int Examined, int Rewrapped)> WalkAsync(PlugboardDb db, SecretPass pass, CancellationToken ct)
    {
        var rewrapped = 0;
        var sessions = await db.ConsoleSessions.AsNoTracking().Select(s => new { s.Id, s.ApiKey }).ToListAsync(ct);
        foreach (var session in sessions.Where(s => pass.Pending(s.ApiKey)))
        {
            if (pass.Rewrapped(session.ApiKey, ConsoleSessions.ContextOf(session.Id), session.Id) is { } moved && pass.Writes)
            {
                rewrapped += await db.ConsoleSessions.Where(s => s.Id == session.Id && s.ApiKey == session.ApiKey)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.ApiKey, moved), ct);
            }
        }
        var keys = await db.DataProtectionKeys.AsNoTracking().ToListAsync(ct);
        foreach (var key in keys)
        {
            var xml = XElement.Parse(key.Xml);
            var sealedParts = xml.Descendants(ConsoleKeyEncryptor.ElementName).Where(e => pass.Pending(e.Value)).ToList();
            if (sealedParts.Count == 0)
            {
                continue;
            }
            var movedAll = true;
            foreach (var part in sealedParts)
            {
                if (pass.Rewrapped(part.Value, ConsoleKeyEncryptor.Context, key.Id) is { } moved)
                {
                    part.Value = moved;
                }
                else
                {
                    movedAll = false;
                }
            }
            if (movedAll && pass.Writes)
            {
                var text = xml.ToString(SaveOptions.DisableFormatting);
                rewrapped += await db.DataProtectionKeys.Where(k => k.Id == key.Id && k.Xml == key.Xml)
                    .ExecuteUpdateAsync(s => s.SetProperty(k => k.Xml, text), ct);
            }
        }
        pass.Report(Name, sessions.Count + keys.Count, sessions.Count + keys.Count);
        return (sessions.Count + keys.Count, rewrapped);
    }

    public async Task<bool> AnyOldAsync(PlugboardDb db, string prefix, CancellationToken ct) =>
        await db.ConsoleSessions.AnyAsync(s => !s.ApiKey.StartsWith(prefix), ct) ||
        await db.DataProtectionKeys.AnyAsync(k => k.Xml.Contains("<" + ConsoleKeyEncryptor.ElementName + ">") && !k.Xml.Contains("<" + ConsoleKeyEncryptor.ElementName + ">" + prefix), ct);
}
