using Plugboard.Server.Configuration;

namespace Plugboard.Server.Proxy;

/// PLUGBOARD_PROXY_MAX_RESPONSE_BYTES: the largest upstream response the proxy passes on (default 10 MiB); a larger
/// one is cut off (a declared length over it is a 502 before anything is sent on).
public sealed record ProxyOptions(long MaxResponseBytes)
{
    public const string MaxResponseBytesVariable = "PLUGBOARD_PROXY_MAX_RESPONSE_BYTES";
    public const long DefaultMaxResponseBytes = 10 * 1024 * 1024;

    public static ProxyOptions FromConfiguration(IConfiguration configuration)
    {
        var text = configuration[MaxResponseBytesVariable];
        if (string.IsNullOrEmpty(text))
        {
            return new ProxyOptions(DefaultMaxResponseBytes);
        }
        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bytes) && bytes is > 0 and <= 1L << 32
            ? new ProxyOptions(bytes)
            : throw new StartupException($"{MaxResponseBytesVariable} must be a whole number of bytes from 1 to 4294967296.");
    }
}
