using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Plugboard.Bench;

/// The kinds of option the suites share, each parsed and checked once: positive whole numbers (with `_`
/// separators: 100_000), numbers in a range, comma-separated lists, the engines and the server build.
internal static class BenchOptionKinds
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static Option<int> Positive(string name, int fallback, string description) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => fallback,
        CustomParser = r => ParsePositive(r, r.Tokens.Single().Value),
    };

    /// Absent: null (the suite picks its own default).
    public static Option<int?> OptionalPositive(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = r => ParsePositive(r, r.Tokens.Single().Value),
    };

    public static Option<double> Number(string name, double fallback, double min, double max, string description) => new(name)
    {
        Description = $"{description} ({min} to {max})",
        DefaultValueFactory = _ => fallback,
        CustomParser = r => ParseNumber(r, r.Tokens.Single().Value, min, max),
    };

    public static Option<IReadOnlyList<int>> PositiveList(string name, string fallback, string description) => new(name)
    {
        Description = $"{description}, comma-separated",
        DefaultValueFactory = _ => Split(fallback).Select(int.Parse).ToList(),
        CustomParser = r => Split(r.Tokens.Single().Value).Select(v => ParsePositive(r, v)).ToList(),
    };

    public static Option<IReadOnlyList<double>> NumberList(string name, string fallback, double min, double max, string description) => new(name)
    {
        Description = $"{description}, comma-separated, each {min} to {max}",
        DefaultValueFactory = _ => Split(fallback).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToList(),
        CustomParser = r => Split(r.Tokens.Single().Value) is { Count: > 0 } values
            ? values.Select(v => ParseNumber(r, v, min, max)).ToList()
            : Error<IReadOnlyList<double>>(r, $"{Name(r)} needs at least one value"),
    };

    public static Option<IReadOnlyList<string>> Engines() => new("--engines")
    {
        Description = "sqlite, postgres or both, comma-separated",
        DefaultValueFactory = _ => [Sqlite, Postgres],
        CustomParser = r => Split(r.Tokens.Single().Value).Select(e => e.ToLowerInvariant()).Distinct().ToList() is { Count: > 0 } engines &&
            engines.All(e => e is Sqlite or Postgres)
                ? engines
                : Error<IReadOnlyList<string>>(r, "--engines takes sqlite, postgres or both"),
    };

    public static Option<string?> Server(string dll = "Plugboard.Server.dll") => new("--server")
    {
        Description = $"the {dll} to run (default: this repository's build in the same configuration)",
    };

    private static List<string> Split(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static int ParsePositive(ArgumentResult r, string text) =>
        int.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : Error<int>(r, $"{Name(r)} must be a positive whole number, not '{text}'");

    private static double ParseNumber(ArgumentResult r, string text, double min, double max) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : Error<double>(r, $"{Name(r)} must be a number from {min} to {max}, not '{text}'");

    private static T Error<T>(ArgumentResult r, string message)
    {
        r.AddError(message);
        return default!;
    }

    private static string Name(ArgumentResult r) => (r.Parent as OptionResult)?.Option.Name ?? "the value";
}
