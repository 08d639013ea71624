namespace Plugboard.Bench;

/// A suite's `--name value` / `--name=value` options, each one it knows at most once.
internal static class SuiteArgs
{
    public static Dictionary<string, string> Parse(string suite, IReadOnlyList<string> args, IReadOnlyCollection<string> known)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"{suite}: unexpected argument '{arg}'");
            }
            if (arg.Split('=', 2) is [var key, var inline])
            {
                values[key] = inline;
            }
            else if (i + 1 < args.Count)
            {
                values[arg] = args[++i];
            }
            else
            {
                throw new UsageException($"{suite}: {arg} needs a value");
            }
        }
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            throw new UsageException($"{suite}: unknown option {unknown}; known: {string.Join(", ", known)}");
        }
        return values;
    }
}
