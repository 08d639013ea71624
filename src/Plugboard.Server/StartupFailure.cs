using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Plugboard.Server;

/// A start that cannot succeed ends with exit code 1 and one line saying what to change: no stack trace,
/// which would only bury that line.
public static class StartupFailure
{
    /// Prints the line and gives the exit code. Hosted by a test's WebApplicationFactory, the program does not
    /// own the process: the caller rethrows so the host sees the failure. Any other entry point (the server's
    /// own, or a host built on it such as the bench's) does.
    public static async Task<int> ExitAsync(string message)
    {
        await Console.Error.WriteLineAsync($"Plugboard cannot start: {message}");
        return 1;
    }

    public static bool OwnsProcess => !AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Microsoft.AspNetCore.Mvc.Testing");

    /// Kestrel could not listen: the port is taken or the address is not this machine's.
    public static bool IsBindFailure(IOException e) =>
        e.InnerException is AddressInUseException or SocketException ||
        e.Message.StartsWith("Failed to bind", StringComparison.Ordinal);
}
