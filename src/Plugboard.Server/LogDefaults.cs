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

    public static WebApplicationBuilder UsePlugboardLogDefaults(this WebApplicationBuilder builder)
    {
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Levels });
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        return builder;
    }
}
