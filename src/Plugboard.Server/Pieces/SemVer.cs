using System.Globalization;
using System.Text.RegularExpressions;

namespace Plugboard.Server.Pieces;

/// A semantic version (MAJOR.MINOR.PATCH[-prerelease][+build]) ordered by semver precedence.
public sealed partial record SemVer(int Major, int Minor, int Patch, string? Prerelease) : IComparable<SemVer>
{
    [GeneratedRegex(@"^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$")]
    private static partial Regex Pattern();

    public static SemVer? Parse(string? text)
    {
        var m = text is { Length: <= 100 } ? Pattern().Match(text) : null;
        return m is { Success: true }
            ? new SemVer(Int(m.Groups[1].Value), Int(m.Groups[2].Value), Int(m.Groups[3].Value), m.Groups[4].Success ? m.Groups[4].Value : null)
            : null;
    }

    /// Exact ("1.2.3"), caret ("^1.2.3": same major, or same minor below 1.0) or tilde ("~1.2.3": same minor).
    public bool Satisfies(string range)
    {
        var bound = Parse(range.TrimStart('^', '~'));
        if (bound is null || CompareTo(bound) < 0)
        {
            return false;
        }
        return range[0] switch
        {
            '^' => Major == bound.Major && (bound.Major > 0 || Minor == bound.Minor) && (Prerelease is null || SameCore(bound)),
            '~' => Major == bound.Major && Minor == bound.Minor && (Prerelease is null || SameCore(bound)),
            _ => CompareTo(bound) == 0,
        };
    }

    public int CompareTo(SemVer? other)
    {
        if (other is null)
        {
            return 1;
        }
        var core = (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));
        if (core != 0)
        {
            return core;
        }
        return (Prerelease, other.Prerelease) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            var (a, b) => ComparePrerelease(a, b),
        };
    }

    public override string ToString() => Prerelease is null ? $"{Major}.{Minor}.{Patch}" : $"{Major}.{Minor}.{Patch}-{Prerelease}";

    private bool SameCore(SemVer other) => (Major, Minor, Patch) == (other.Major, other.Minor, other.Patch);

    private static int ComparePrerelease(string a, string b)
    {
        var (left, right) = (a.Split('.'), b.Split('.'));
        for (var i = 0; i < Math.Min(left.Length, right.Length); i++)
        {
            var (ln, rn) = (long.TryParse(left[i], out var l), long.TryParse(right[i], out var r));
            var order = (ln, rn) switch
            {
                (true, true) => l.CompareTo(r),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(left[i], right[i]),
            };
            if (order != 0)
            {
                return order;
            }
        }
        return left.Length.CompareTo(right.Length);
    }

    private static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);
}
