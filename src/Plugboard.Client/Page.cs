namespace Plugboard.Client;

/// <summary>One page of a list: its rows and the cursors of the pages after and before it (null at either end).</summary>
/// <param name="Data">The rows of this page.</param>
/// <param name="Next">The cursor of the next page, or null on the last page.</param>
/// <param name="Previous">The cursor of the previous page, or null on the first page.</param>
public sealed record Page<T>(IReadOnlyList<T> Data, string? Next, string? Previous);
