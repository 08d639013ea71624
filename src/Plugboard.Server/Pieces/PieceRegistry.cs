using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Pieces;

/// Reads of the registry shared by its routes and the connection check.
public static class PieceRegistry
{
    public static async Task<List<RegisteredPiece>> VersionsAsync(PlugboardDb db, string platformId, string name, CancellationToken ct)
    {
        var rows = await db.Pieces.AsNoTracking().Where(p => p.PlatformId == platformId && p.Name == name).ToListAsync(ct);
        return NewestFirst(rows, r => r.Version);
    }

    public static List<T> NewestFirst<T>(IEnumerable<T> versions, Func<T, string> version) =>
        versions.OrderByDescending(v => SemVer.Parse(version(v))).ToList();

    /// The newest release, or the newest prerelease when there is no release yet.
    public static T? Latest<T>(IReadOnlyList<T> newestFirst, Func<T, string> version) =>
        newestFirst.FirstOrDefault(v => SemVer.Parse(version(v))!.Prerelease is null) ?? newestFirst.FirstOrDefault();

    /// The newest version when none is asked for (a release over a prerelease), else the newest that
    /// satisfies the exact version or ^/~ range asked for. Null when nothing does.
    public static RegisteredPiece? Pick(IReadOnlyList<RegisteredPiece> newestFirst, string? wanted) =>
        string.IsNullOrEmpty(wanted)
            ? Latest(newestFirst, v => v.Version)
            : newestFirst.FirstOrDefault(v => SemVer.Parse(v.Version)!.Satisfies(wanted));

    public static PieceMetadata Deserialize(string json) => JsonSerializer.Deserialize<PieceMetadata>(json, JsonDefaults.Options)!;

    public static RegisteredPieceDto ToDto(this RegisteredPiece row)
    {
        var m = Deserialize(row.Metadata);
        return new RegisteredPieceDto(row.Name, row.Version, row.DisplayName, m.Description, m.LogoUrl,
            m.Auth ?? [], m.Actions ?? [], m.Triggers ?? [], row.Created, row.Updated);
    }
}
