using Microsoft.Extensions.Configuration.Memory;

namespace Plugboard.Server;

/// Log levels that hold wherever the server is started from. They sit under every other configuration
/// source, so `Logging__LogLevel__Microsoft.EntityFrameworkCore=Information` (or an appsettings.json in the
/// working directory) still turns the SQL back on when someone asks for it.
public static class LogDefaults
{
    private static readonly Dictionary<string, string?> Levels = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
        // The MCP SDK logs two lines per request at Information ("handler called", "completed"): an agent's every call.
        ["Logging:LogLevel:ModelContextProtocol"] = "Warning",
        // Plugboard prints its own start-up lines (StartupBanner); the host's four would only repeat them.
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        // A port already taken is answered by Program in one line; the host's Error entry would repeat it
        // with 40 stack frames. A background service that stops the host still logs at Critical.
        ["Logging:LogLevel:Microsoft.Extensions.Hosting.Internal.Host"] = "Critical",
    };

    /// `PLUGBOARD_LOG_FORMAT=json`: one JSON object per line (timestamp, level, category, event id, message and the
    /// message's named values), for a log shipper. The values are what the `[LoggerMessage]` methods name: ids and
    /// names, never a secret, as in the text lines.
    public const string FormatVariable = "PLUGBOARD_LOG_FORMAT";

    public static WebApplicationBuilder UsePlugboardLogDefaults(this WebApplicationBuilder builder)
    {
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Levels });
        if (string.Equals(builder.Configuration[FormatVariable], "json", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                // Scopes would add the request path and trace ids to every line; the message already says what happened.
                o.IncludeScopes = false;
            });
            builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.FormatterName = Microsoft.Extensions.Logging.Console.ConsoleFormatterNames.Json);
            return builder;
        }
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        return builder;
    }
}
