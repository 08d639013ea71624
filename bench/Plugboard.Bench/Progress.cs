namespace Plugboard.Bench;

/// Progress goes to stderr, so stdout holds only the report.
internal static class Progress
{
    private static readonly DateTime Started = DateTime.UtcNow;

    public static void Note(string message) =>
        Console.Error.WriteLine($"[{(DateTime.UtcNow - Started).TotalSeconds,7:F1}s] {message}");
}
