using System.Net;
using System.Net.Sockets;

namespace Plugboard.Server.OAuth.Outbound;

/// Which destination addresses a server-side call must never reach: loopback, private, link-local
/// (cloud metadata), carrier-grade NAT, benchmarking, multicast and reserved ranges, in every IPv6
/// spelling that can carry one of them.
public static class AddressRules
{
    public static bool IsForbidden(IPAddress address) => address.AddressFamily switch
    {
        AddressFamily.InterNetwork => IsForbiddenV4(address.GetAddressBytes()),
        AddressFamily.InterNetworkV6 => IsForbiddenV6(address.GetAddressBytes()),
        // Anything that is not plain IPv4 or IPv6 is not a destination we can reason about.
        _ => true,
    };

    private static bool IsForbiddenV4(ReadOnlySpan<byte> b) =>
        b[0] == 0                                   // 0.0.0.0/8 "this network"
        || b[0] == 10                               // 10/8 private
        || (b[0] == 100 && (b[1] & 0xC0) == 64)     // 100.64/10 carrier-grade NAT
        || b[0] == 127                              // 127/8 loopback
        || (b[0] == 169 && b[1] == 254)             // 169.254/16 link-local, cloud metadata
        || (b[0] == 172 && (b[1] & 0xF0) == 16)     // 172.16/12 private
        || (b[0] == 192 && b[1] == 0 && b[2] == 0)  // 192.0.0/24 IETF protocol assignments
        || (b[0] == 192 && b[1] == 168)             // 192.168/16 private
        || (b[0] == 198 && (b[1] & 0xFE) == 18)     // 198.18/15 benchmarking
        || b[0] >= 224;                             // 224/4 multicast, 240/4 reserved, 255.255.255.255

    private static bool IsForbiddenV6(ReadOnlySpan<byte> b)
    {
        // ::/96 holds ::, ::1 and the deprecated IPv4-compatible form; ::ffff:0:0/96 is IPv4-mapped and
        // ::ffff:0:0:0/96 IPv4-translated. The kernel may route any of these to an IPv4 host, so all are refused.
        if (b[..10].IndexOfAnyExcept((byte)0) < 0
            && ((b[10] == 0 && b[11] == 0) || (b[10] == 0xFF && b[11] == 0xFF)))
        {
            return true;
        }
        if (b[..8].IndexOfAnyExcept((byte)0) < 0 && b[8] == 0xFF && b[9] == 0xFF && b[10] == 0 && b[11] == 0)
        {
            return true;
        }
        // 64:ff9b::/96 well-known NAT64: the gateway forwards to the embedded IPv4 address.
        if (b[0] == 0 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4..12].IndexOfAnyExcept((byte)0) < 0)
        {
            return IsForbiddenV4(b[12..]);
        }
        // 64:ff9b:1::/48 local-use NAT64 may embed an IPv4 address anywhere, so it cannot be checked.
        if (b[0] == 0 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4] == 0 && b[5] == 1)
        {
            return true;
        }
        // 2002::/16 6to4 carries an IPv4 address in bits 16-47.
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return IsForbiddenV4(b[2..6]);
        }
        return (b[0] & 0xFE) == 0xFC                // fc00::/7 unique local
            || (b[0] == 0xFE && (b[1] & 0x80) != 0) // fe80::/10 link-local and fec0::/10 old site-local
            || b[0] == 0xFF;                        // ff00::/8 multicast
    }
}
