using System.Runtime.CompilerServices;

namespace Plugboard.Client.Http;

/// Every row of a list, fetching one page at a time by following `next`.
internal static class Paging
{
    public static async IAsyncEnumerable<T> AllAsync<T>(
        Func<string?, CancellationToken, Task<Page<T>>> fetch, [EnumeratorCancellation] CancellationToken ct)
    {
        string? cursor = null;
        do
        {
            var page = await fetch(cursor, ct);
            foreach (var row in page.Data)
            {
                yield return row;
            }
            if (page.Next is not null && page.Next == cursor)
            {
                throw new InvalidOperationException("The server answered the same cursor twice; stopping rather than looping.");
            }
            cursor = page.Next;
        }
        while (cursor is not null);
    }
}
