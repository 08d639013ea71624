using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Plugboard.Server.Http;

/// Partition keys of the rate limiter: who a request counts against, before anything is authenticated.
public static class RateLimitKeys
{
    private const int StackBytes = 1024;

    /// Whether the request presents a credential (an Authorization header with something in it).
    public static bool HasCredential(HttpRequest request) => !Credential(request).IsEmpty;

    /// The presented credential as a key: SHA-256 of it, the first 16 bytes in hex. The limiter keeps its
    /// partitions' keys for as long as they are in use, so the token itself must never be one.
    public static string CredentialHash(HttpRequest request)
    {
        var credential = Credential(request);
        var max = Encoding.UTF8.GetMaxByteCount(credential.Length);
        byte[]? rented = null;
        Span<byte> bytes = max <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(max));
        var length = 0;
        try
        {
            length = Encoding.UTF8.GetBytes(credential, bytes);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes[..length], hash);
            return Convert.ToHexStringLower(hash[..16]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes[..length]);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// The client's address as the connection gives it. IPv6 clients count per /64, the block one host is
    /// usually given, so walking through its addresses does not multiply the budget. Behind a proxy this is
    /// the proxy's address unless the forwarded headers are applied (ASPNETCORE_FORWARDEDHEADERS_ENABLED=true).
    public static string Address(HttpContext http)
    {
        var ip = http.Connection.RemoteIpAddress;
        if (ip is null)
        {
            return "unknown";
        }
        if (ip.IsIPv4MappedToIPv6)
        {
            return ip.MapToIPv4().ToString();
        }
        if (ip.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return ip.ToString();
        }
        Span<byte> bytes = stackalloc byte[16];
        ip.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes) + "/64";
    }

    /// The token after "Bearer ", or the whole header for another scheme; empty when there is none.
    private static ReadOnlySpan<char> Credential(HttpRequest request)
    {
        var header = request.Headers.Authorization;
        if (header.Count == 0)
        {
            return default;
        }
        var value = (header.Count == 1 ? header[0] : header.ToString()).AsSpan().Trim();
        const string bearer = "Bearer";
        if (value.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) && (value.Length == bearer.Length || char.IsWhiteSpace(value[bearer.Length])))
        {
            value = value[bearer.Length..].Trim();
        }
        return value;
    }
}
