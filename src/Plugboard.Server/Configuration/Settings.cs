using System.Globalization;

namespace Plugboard.Server.Configuration;

/// PLUGBOARD_* settings read one way everywhere: unset gives the default, a value that does not parse
/// stops the start with a <see cref="StartupException"/> naming the setting.
public static class Settings
{
    public static int Int(this IConfiguration c, string key, int fallback) =>
        c[key] is { Length: > 0 } text
            ? int.TryParse(text, out var n) ? n : throw new StartupException($"{key} must be a whole number.")
            : fallback;

    public static TimeSpan Seconds(this IConfiguration c, string key, TimeSpan fallback) =>
        c[key] is { Length: > 0 } text
            ? double.TryParse(text, CultureInfo.InvariantCulture, out var s) && s > 0
                ? TimeSpan.FromSeconds(s)
                : throw new StartupException($"{key} must be a positive number of seconds.")
            : fallback;

    /// On only when set to "true" (any case).
    public static bool IsTrue(this IConfiguration c, string key) => string.Equals(c[key], "true", StringComparison.OrdinalIgnoreCase);

    /// Off only when set to "false" (any case).
    public static bool IsFalse(this IConfiguration c, string key) => string.Equals(c[key], "false", StringComparison.OrdinalIgnoreCase);
}
