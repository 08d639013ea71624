namespace Plugboard.Testing.Servers;

/// Everything a server process wrote (stdout and stderr, in arrival order), line by line and numbered from 1.
/// An entry is a line with the lines after it that continue it (indented, as the default console formatter
/// writes a message under its "info: Category[id]" header, or an exception's stack).
public sealed class ServerLog
{
    private static readonly string[] LevelPrefixes = ["trce: ", "dbug: ", "info: ", "warn: ", "fail: ", "crit: "];

    private readonly List<string> _lines = [];
    private readonly List<(string Text, long AfterLine, TaskCompletionSource Seen)> _awaited = [];

    /// How many lines have been written so far: a mark for <see cref="LinesContaining"/>.
    public long LinesWritten
    {
        get
        {
            lock (_lines)
            {
                return _lines.Count;
            }
        }
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public IReadOnlyList<string> LastLines(int count)
    {
        lock (_lines)
        {
            return [.. _lines.TakeLast(count)];
        }
    }

    /// Every line written after the mark that contains the text: e.g. " fail: " or "Exception".
    public IReadOnlyList<string> LinesContaining(string text, long afterLine = 0)
    {
        lock (_lines)
        {
            return [.. _lines.Skip((int)afterLine).Where(line => line.Contains(text, StringComparison.Ordinal))];
        }
    }

    /// Completes once a line containing the text has been written after the mark: for what only the server's log
    /// can tell, waited on instead of polled for.
    public Task WhenLineContainsAsync(string text, long afterLine = 0)
    {
        lock (_lines)
        {
            if (_lines.Skip((int)afterLine).Any(line => line.Contains(text, StringComparison.Ordinal)))
            {
                return Task.CompletedTask;
            }
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _awaited.Add((text, afterLine, seen));
            return seen.Task;
        }
    }

    /// The entries that begin after the mark, each as its lines joined with '\n'.
    public IReadOnlyList<string> EntriesAfter(long afterLine)
    {
        var entries = new List<string>();
        lock (_lines)
        {
            foreach (var line in _lines.Skip((int)afterLine))
            {
                var continues = entries.Count > 0 && line.StartsWith(' ') && !LevelPrefixes.Any(p => line.StartsWith(p, StringComparison.Ordinal));
                if (continues)
                {
                    entries[^1] += "\n" + line;
                }
                else
                {
                    entries.Add(line);
                }
            }
        }
        return entries;
    }

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lines)
        {
            _lines.Add(line);
            // Continuations run asynchronously, so completing them under the lock is safe.
            _awaited.RemoveAll(awaited => line.Contains(awaited.Text, StringComparison.Ordinal) && awaited.Seen.TrySetResult());
        }
    }
}
