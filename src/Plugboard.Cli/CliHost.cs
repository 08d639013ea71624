namespace Plugboard.Cli;

/// Where the command reads and writes: the real console, or a test's buffers and environment.
public sealed record CliHost(TextReader In, TextWriter Out, TextWriter Error, Func<string, string?> Environment, bool OutputIsTerminal)
{
    public static CliHost FromConsole() =>
        new(Console.In, Console.Out, Console.Error, System.Environment.GetEnvironmentVariable, !Console.IsOutputRedirected);
}

/// A mistake in how the command was called: exit code 2.
public sealed class UsageException(string message) : Exception(message);

/// An expected failure with a message for the user: exit code 1.
public sealed class CliException(string message) : Exception(message);
