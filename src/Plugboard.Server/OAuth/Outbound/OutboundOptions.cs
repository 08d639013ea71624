using System.Collections.Frozen;
using System.Globalization;
using System.Net;
using Plugboard.Server.Configuration;

namespace Plugboard.Server.OAuth.Outbound;

/// PLUGBOARD_OUTBOUND_ALLOWED_HOSTS (PLUGBOARD_OAUTH_ALLOWED_HOSTS still works as its alias): comma-separated host
/// names or IP literals (e.g. "127.0.0.1,localhost,[::1]" or "::1") that every outbound call (token requests and
/// the proxy) may reach over plain http and at a private or loopback address; empty by default.
/// PLUGBOARD_OAUTH_TIMEOUT_SECONDS: the whole-call timeout for token requests (default 20).
public sealed class OutboundOptions
{
    public const string AllowedHostsVariable = "PLUGBOARD_OUTBOUND_ALLOWED_HOSTS";
    public const string AllowedHostsAlias = "PLUGBOARD_OAUTH_ALLOWED_HOSTS";
    public const string TimeoutVariable = "PLUGBOARD_OAUTH_TIMEOUT_SECONDS";
    private const int MaxTimeoutSeconds = 300;

    private readonly FrozenSet<string> allowedHosts = FrozenSet<string>.Empty;

    /// Case-insensitive; IPv6 literals are stored without brackets, in their canonical form.
    public IReadOnlySet<string> AllowedHosts
    {
        get => allowedHosts;
        init => allowedHosts = value.Select(HostKey).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(20);

    public int MaxResponseBytes { get; init; } = 1024 * 1024;

    public static OutboundOptions FromConfiguration(IConfiguration configuration) => new()
    {
        AllowedHosts = ParseHosts(configuration[AllowedHostsVariable] is { Length: > 0 } hosts ? hosts : configuration[AllowedHostsAlias]),
        Timeout = ParseTimeout(configuration[TimeoutVariable]),
    };

    /// Allow-listing is by the host as written in the URL: "127.0.0.1" does not admit "localhost",
    /// nor any other name that happens to resolve to loopback.
    public bool IsAllowListed(string host) => allowedHosts.Contains(HostKey(host));

    /// One spelling per host: no brackets around IPv6, and IP literals in canonical form so that
    /// "[0:0:0:0:0:0:0:1]" and "::1" are the same entry.
    internal static string HostKey(string host)
    {
        var bare = host.Trim();
        if (bare.Length > 1 && bare[0] == '[' && bare[^1] == ']')
        {
            bare = bare[1..^1];
        }
        return Uri.CheckHostName(bare) is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(bare, out var address)
            ? address.ToString()
            : bare;
    }

    private static HashSet<string> ParseHosts(string? text)
    {
        var hosts = (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var host in hosts)
        {
            var bare = host.Length > 1 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;
            if (Uri.CheckHostName(bare) is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6))
            {
                throw new StartupException(
                    $"{AllowedHostsVariable} holds '{host}', which is not a host name or IP address. " +
                    "List bare hosts without scheme or port, e.g. \"127.0.0.1,localhost,[::1]\".");
            }
        }
        return [.. hosts];
    }

    private static TimeSpan ParseTimeout(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return TimeSpan.FromSeconds(20);
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds > 0 && seconds <= MaxTimeoutSeconds))
        {
            throw new StartupException($"{TimeoutVariable} must be a number of seconds above 0 and at most {MaxTimeoutSeconds}.");
        }
        return TimeSpan.FromSeconds(seconds);
    }
}
