using Plugboard.Server.Data;
using Plugboard.Server.Data.Migrations;
using Plugboard.Server.Http;

namespace Plugboard.Server.Connections;

/// The list filters of seed 002: pieceName (exact), displayName (case-insensitive substring),
/// status (repeatable), scope; seed 004's definition (a definition's stable key); and `metadata.<key>=<value>`
/// (a top-level metadata string, exact; several are ANDed), answered from the metadata index (M0011, M0012), so a
/// tenant's connections are found by the server, never filtered by a client after paging. A list's window is driven by
/// the first metadata filter's entries (<see cref="ConnectionWindows"/>); <see cref="Apply"/> checks the rest.
public sealed record ConnectionFilters(
    string? PieceName, string? DisplayName, IReadOnlyList<ConnectionStatus> Statuses, ConnectionScope? Scope, string? Definition,
    IReadOnlyList<KeyValuePair<string, string>> Metadata)
{
    public const string MetadataPrefix = "metadata.";
    public const int MaxMetadataFilters = 10;

    public static ApiError? TryParse(
        string? pieceName, string? displayName, string[]? status, string? scope, string? definition, IQueryCollection query, out ConnectionFilters filters)
    {
        filters = new ConnectionFilters(null, null, [], null, null, []);
        if (!TryParseMetadata(query).TryGetValue(out var metadata, out var invalid))
        {
            return invalid;
        }
        var statuses = new List<ConnectionStatus>();
        foreach (var value in (status ?? []).SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!WireEnum<ConnectionStatus>.TryParse(value, out var parsed))
            {
                return ApiError.Validation($"status must be one of {string.Join(", ", WireEnum<ConnectionStatus>.Names)}.", "status");
            }
            statuses.Add(parsed);
        }
        ConnectionScope? parsedScope = null;
        if (!string.IsNullOrEmpty(scope))
        {
            if (!WireEnum<ConnectionScope>.TryParse(scope, out var s))
            {
                return ApiError.Validation("scope must be PROJECT or PLATFORM.", "scope");
            }
            parsedScope = s;
        }
        filters = new ConnectionFilters(
            string.IsNullOrEmpty(pieceName) ? null : pieceName,
            string.IsNullOrEmpty(displayName) ? null : SearchText.Fold(displayName),
            statuses,
            parsedScope,
            string.IsNullOrEmpty(definition) ? null : definition,
            metadata);
        return null;
    }

    private static Outcome<List<KeyValuePair<string, string>>> TryParseMetadata(IQueryCollection query)
    {
        var filters = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in query.Where(q => q.Key.StartsWith(MetadataPrefix, StringComparison.Ordinal)))
        {
            var key = name[MetadataPrefix.Length..];
            if (key.Length is 0 or > M0011_ConnectionMetadata.MaxKeyLength)
            {
                return ApiError.Validation($"A metadata filter is metadata.<key>=<value> with a key of 1 to {M0011_ConnectionMetadata.MaxKeyLength} characters.", name);
            }
            foreach (var value in values)
            {
                if (value is null || value.Length > M0011_ConnectionMetadata.MaxValueLength)
                {
                    return ApiError.Validation($"{name} matches metadata strings of at most {M0011_ConnectionMetadata.MaxValueLength} characters.", name);
                }
                filters.Add(KeyValuePair.Create(key, value));
            }
        }
        if (filters.Count > MaxMetadataFilters)
        {
            return ApiError.Validation($"At most {MaxMetadataFilters} metadata filters.", "metadata");
        }
        return filters;
    }

    /// Every filter as a predicate on the connection; each metadata filter probes the entries' primary key.
    public IQueryable<AppConnection> Apply(IQueryable<AppConnection> query, PlugboardDb db)
    {
        if (Definition is not null)
        {
            var stableKey = Definition;
            query = query.Where(c => db.Set<ConnectionDefinition>().Any(d => d.Id == c.DefinitionId && d.StableKey == stableKey));
        }
        foreach (var (key, value) in Metadata)
        {
            query = query.Where(c => db.Set<ConnectionMetadataEntry>().Any(m => m.ConnectionId == c.Id && m.Key == key && m.Value == value));
        }
        if (PieceName is not null)
        {
            query = query.Where(c => c.PieceName == PieceName);
        }
        if (DisplayName is not null)
        {
            query = query.Where(c => c.DisplayNameSearch.Contains(DisplayName));
        }
        if (Statuses.Count > 0)
        {
            var statuses = Statuses;
            query = query.Where(c => statuses.Contains(c.Status));
        }
        return query;
    }
}
