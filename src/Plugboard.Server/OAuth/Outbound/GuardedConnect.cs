using System.Net;
using System.Net.Sockets;

namespace Plugboard.Server.OAuth.Outbound;

/// The SSRF guard proper, run as SocketsHttpHandler.ConnectCallback: it sees the host the handler is
/// about to dial (not whatever a validator parsed earlier), checks every address the name resolves to,
/// and dials one of those same addresses, so a second DNS answer (rebinding) never gets a say.
internal static class GuardedConnect
{
    public static async ValueTask<Stream> ConnectAsync(OutboundOptions options, SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var endPoint = context.DnsEndPoint;
        var host = OutboundOptions.HostKey(endPoint.Host);
        IPAddress[] addresses = Uri.CheckHostName(host) is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, ct);
        if (addresses.Length == 0)
        {
            throw new OutboundRefusedException($"host {host} has no address");
        }
        // One bad record refuses the whole name: picking a "good" one would let an attacker who
        // controls the zone keep trying until the ordering favours the internal address.
        if (!options.IsAllowListed(host) && addresses.Any(AddressRules.IsForbidden))
        {
            throw new OutboundRefusedException($"host {host} resolves to a private, loopback or reserved address");
        }
        return await ConnectToAnyAsync(addresses, endPoint.Port, ct);
    }

    private static async ValueTask<Stream> ConnectToAnyAsync(IPAddress[] addresses, int port, CancellationToken ct)
    {
        for (var i = 0; ; i++)
        {
            Socket? socket = null;
            try
            {
                socket = new Socket(addresses[i].AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(new IPEndPoint(addresses[i], port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException) when (i < addresses.Length - 1)
            {
                socket?.Dispose();
            }
            catch
            {
                socket?.Dispose();
                throw;
            }
        }
    }
}
