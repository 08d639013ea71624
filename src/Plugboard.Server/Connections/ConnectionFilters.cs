using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Connections;

/// The list filters of seed 002: pieceName (exact), displayName (case-insensitive substring),
/// status (repeatable), scope; and seed 004's definition (a definition's stable key).
public sealed record ConnectionFilters(string? PieceName, string? DisplayName, IReadOnlyList<ConnectionStatus> Statuses, ConnectionScope? Scope, string? Definition)
{
    public static ApiError? TryParse(string? pieceName, string? displayName, string[]? status, string? scope, string? definition, out ConnectionFilters filters)
    {
        filters = new ConnectionFilters(null, null, [], null, null);
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
            string.IsNullOrEmpty(definition) ? null : definition);
        return null;
    }

    public IQueryable<AppConnection> Apply(IQueryable<AppConnection> query, PlugboardDb db)
    {
        if (Definition is not null)
        {
            var stableKey = Definition;
            query = query.Where(c => db.Set<ConnectionDefinition>().Any(d => d.Id == c.DefinitionId && d.StableKey == stableKey));
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
