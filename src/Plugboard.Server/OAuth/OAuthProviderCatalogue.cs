using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.OAuth;

/// Providers as data: the built-in entries shipped in oauth-providers.json, and each platform's own
/// entries (which win over a built-in one of the same name).
public sealed class OAuthProviderCatalogue
{
    public const string Generic = "generic";

    public IReadOnlyList<OAuthProvider> BuiltIn { get; } = LoadBuiltIn();

    public static OAuthProvider? Parse(string json) => JsonSerializer.Deserialize<OAuthProvider>(json, JsonDefaults.Options);

    public async Task<IReadOnlyList<OAuthProvider>> PlatformEntriesAsync(PlugboardDb db, string platformId, CancellationToken ct)
    {
        var rows = await db.OAuthProviders.AsNoTracking().Where(p => p.PlatformId == platformId).Select(p => p.Definition).ToListAsync(ct);
        return rows.Select(Parse).OfType<OAuthProvider>().ToList();
    }

    /// The provider for a connection: by name when one is given, else the first entry serving the piece,
    /// else the generic one (whose URLs must come from the request).
    public async Task<OAuthProvider?> ResolveAsync(PlugboardDb db, string platformId, string? name, string pieceName, CancellationToken ct)
    {
        var candidates = (await PlatformEntriesAsync(db, platformId, ct)).Concat(BuiltIn).ToList();
        if (name is not null)
        {
            return candidates.FirstOrDefault(p => p.Name == name);
        }
        return candidates.FirstOrDefault(p => p.Serves(pieceName)) ?? candidates.First(p => p.Name == Generic);
    }

    private static List<OAuthProvider> LoadBuiltIn()
    {
        using var stream = typeof(OAuthProviderCatalogue).Assembly.GetManifestResourceStream("Plugboard.OAuth.providers.json")
            ?? throw new InvalidOperationException("The built-in OAuth provider catalogue is missing from the assembly.");
        return JsonSerializer.Deserialize<List<OAuthProvider>>(stream, JsonDefaults.Options)
            ?? throw new InvalidOperationException("The built-in OAuth provider catalogue is empty.");
    }
}
