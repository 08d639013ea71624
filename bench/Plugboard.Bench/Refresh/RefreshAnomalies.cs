using System.Globalization;
using Plugboard.Testing.FakeOAuth;

namespace Plugboard.Bench.Refresh;

/// A few example connections for each way a run can go wrong, with the provider's calls for each, so a
/// report of misbehaviour carries the evidence: which connection, what was called when, what came back.
internal static class RefreshAnomalies
{
    private const int ExamplesPerKind = 3;

    public static List<string> Describe(SeedResult seed, ILookup<string, TokenCall> byFamily, IReadOnlyDictionary<string, ConnectionState> states)
    {
        var kinds = new (string Kind, Func<SeededConnection, List<TokenCall>, ConnectionState?, bool> Applies)[]
        {
            ("refreshed more than once", (_, calls, _) => calls.Count(c => c.Status == 200) > 1),
            ("invalid_grant from the provider", (_, calls, _) => calls.Any(c => c.Error == "invalid_grant")),
            ("ERROR after the run", (_, _, state) => state?.Status == "ERROR"),
            ("never refreshed", (_, calls, _) => !calls.Any(c => c.Status == 200)),
            ("first refresh after expiry", (c, calls, _) => calls.FirstOrDefault(x => x.Status == 200) is { } ok && ok.At.UtcDateTime >= c.ExpiresAt),
            ("refreshed, but the connection does not show the new expiry",
                (c, calls, state) => calls.Any(x => x.Status == 200) && !(state is { Status: "ACTIVE" } && state.ExpiresAt > c.ExpiresAt)),
        };
        var lines = new List<string>();
        foreach (var (kind, applies) in kinds)
        {
            var matches = seed.Connections
                .Select(c => (Connection: c, Calls: byFamily[c.FamilyId].ToList(), State: states.GetValueOrDefault(c.Id)))
                .Where(m => applies(m.Connection, m.Calls, m.State))
                .ToList();
            if (matches.Count == 0)
            {
                continue;
            }
            lines.Add($"{kind}: {matches.Count:N0} connection(s); for example:");
            lines.AddRange(matches.Take(ExamplesPerKind).Select(m => "  " + Example(m.Connection, m.Calls, m.State)));
        }
        return lines;
    }

    private static string Example(SeededConnection connection, List<TokenCall> calls, ConnectionState? state)
    {
        var sequence = calls.Count == 0
            ? "no refresh calls"
            : string.Join("; ", calls.Select(c => $"{Time(c.At.UtcDateTime)} {c.Status}{(c.Error is null ? "" : " " + c.Error)}"));
        var status = state is null ? "not listed" : $"{state.Status}{(state.StatusReason is null ? "" : $" ({state.StatusReason})")}, expiresAt {Time(state.ExpiresAt)}";
        return $"{connection.Id} (family {connection.FamilyId}): due {Time(connection.DueAt)}, expiring {Time(connection.ExpiresAt)}; " +
            $"provider: {sequence}; now {status}";
    }

    private static string Time(DateTime? t) => t?.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture) ?? "-";
}
