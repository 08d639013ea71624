using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Plugboard.Server.Http;

public sealed record SeekPage<T>(IReadOnlyList<T> Data, string? Next, string? Previous);

/// Rows that page by keyset on (Created, Id): no row is skipped or repeated at a page boundary,
/// even when many share one timestamp.
public interface ISeekable
{
    DateTime Created { get; }
    string Id { get; }
}

public readonly record struct PageRequest(int Limit, Cursor? Cursor)
{
    public const int MaxLimit = 100;

    /// Parses `limit` and `cursor` from the query string; a bad value is a 400, not a default.
    public static bool TryParse(string? limit, string? cursor, int defaultLimit, out PageRequest page, [NotNullWhen(false)] out ApiError? error)
    {
        page = default;
        error = null;
        var parsedLimit = defaultLimit;
        if (!string.IsNullOrEmpty(limit) &&
            (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out parsedLimit) || parsedLimit is < 1 or > MaxLimit))
        {
            error = ApiError.Validation($"limit must be a whole number from 1 to {MaxLimit}.", "limit");
            return false;
        }
        Cursor? parsedCursor = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (!Cursor.TryDecode(cursor, out var decoded))
            {
                error = ApiError.Validation("cursor is not a cursor this server issued.", "cursor");
                return false;
            }
            parsedCursor = decoded;
        }
        page = new PageRequest(parsedLimit, parsedCursor);
        return true;
    }
}

/// Opaque to clients, shaped like the reference's: base64("next_"|"prev_" + base64(key)).
public sealed record Cursor(bool Forward, DateTime Created, string Id)
{
    public string Encode()
    {
        var inner = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $"created:{Created.Ticks.ToString(CultureInfo.InvariantCulture)}:{Id}"));
        return Convert.ToBase64String(Encoding.UTF8.GetBytes((Forward ? "next_" : "prev_") + inner));
    }

    public static bool TryDecode(string value, out Cursor? cursor)
    {
        cursor = null;
        try
        {
            var outer = Encoding.UTF8.GetString(Convert.FromBase64String(value));
            var forward = outer.StartsWith("next_", StringComparison.Ordinal);
            if (!forward && !outer.StartsWith("prev_", StringComparison.Ordinal))
            {
                return false;
            }
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(outer[5..])).Split(':');
            if (parts is not ["created", var ticksText, var id] ||
                !long.TryParse(ticksText, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ||
                ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks || !Ids.LooksValid(id))
            {
                return false;
            }
            cursor = new Cursor(forward, new DateTime(ticks, DateTimeKind.Utc), id);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

public static class SeekPaging
{
    /// Filters past the cursor, orders, and takes one row more than the page to know if more exist.
    /// The `Created >= c` conjunct lets both engines seek on a (…, created, id) index. Newest first, "forward" walks
    /// towards older rows: the same cursors, read in the other direction.
    public static IQueryable<T> Seek<T>(this IQueryable<T> query, PageRequest page, bool newestFirst = false) where T : class, ISeekable
    {
        var cursor = page.Cursor;
        var ascending = (cursor?.Forward ?? true) != newestFirst;
        if (cursor is not null)
        {
            var (created, id) = (cursor.Created, cursor.Id);
            query = ascending
                ? query.Where(x => x.Created >= created && (x.Created > created || string.Compare(x.Id, id) > 0))
                : query.Where(x => x.Created <= created && (x.Created < created || string.Compare(x.Id, id) < 0));
        }
        query = ascending
            ? query.OrderBy(x => x.Created).ThenBy(x => x.Id)
            : query.OrderByDescending(x => x.Created).ThenByDescending(x => x.Id);
        return query.Take(page.Limit + 1);
    }

    public static async Task<SeekPage<TOut>> ToSeekPageAsync<T, TOut>(
        this IQueryable<T> query, PageRequest page, Func<IReadOnlyList<T>, Task<IReadOnlyList<TOut>>> map, CancellationToken ct,
        bool newestFirst = false)
        where T : class, ISeekable =>
        await (await query.Seek(page, newestFirst).ToListAsync(ct)).ToSeekPageAsync(page, map);

    /// Turns the rows of <see cref="Seek{T}"/> into a page with next/previous cursors.
    public static async Task<SeekPage<TOut>> ToSeekPageAsync<T, TOut>(
        this List<T> rows, PageRequest page, Func<IReadOnlyList<T>, Task<IReadOnlyList<TOut>>> map)
        where T : class, ISeekable
    {
        var cursor = page.Cursor;
        var forward = cursor?.Forward ?? true;
        var hasMore = rows.Count > page.Limit;
        if (hasMore)
        {
            rows.RemoveAt(rows.Count - 1);
        }
        if (!forward)
        {
            rows.Reverse();
        }

        string? next = null, previous = null;
        if (rows.Count > 0)
        {
            var (first, last) = (rows[0], rows[^1]);
            // Paging backwards, rows always follow this page; forwards, rows precede it once a cursor was given.
            if (!forward || hasMore)
            {
                next = new Cursor(true, last.Created, last.Id).Encode();
            }
            if (forward ? cursor is not null : hasMore)
            {
                previous = new Cursor(false, first.Created, first.Id).Encode();
            }
        }
        return new SeekPage<TOut>(await map(rows), next, previous);
    }
}
