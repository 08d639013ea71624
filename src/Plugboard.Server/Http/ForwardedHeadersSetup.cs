using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Plugboard.Server.Configuration;

namespace Plugboard.Server.Http;

/// Behind a reverse proxy that ends TLS, the request reaches Kestrel as plain http from the proxy's address.
/// With PLUGBOARD_FORWARDED_HEADERS=true the proxy's X-Forwarded-Proto and X-Forwarded-For are believed, so
/// the console's OAuth callback URL says https, its cookies are Secure, and per-IP rate limits count clients,
/// not the proxy. Only from PLUGBOARD_KNOWN_PROXIES (addresses or CIDR networks, comma-separated; default
/// loopback): anyone else could otherwise claim any address or scheme. Off by default, since a server reached
/// directly must not take a client's word for either. The Host header is not rewritten: the proxy passes it on.
public static class ForwardedHeadersSetup
{
    public const string EnabledVariable = "PLUGBOARD_FORWARDED_HEADERS";
    public const string KnownProxiesVariable = "PLUGBOARD_KNOWN_PROXIES";

    public static IServiceCollection AddPlugboardForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        if (!Enabled(configuration))
        {
            return services;
        }
        var proxies = configuration[KnownProxiesVariable];
        var (addresses, networks) = ParseProxies(proxies);
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            if (!string.IsNullOrWhiteSpace(proxies))
            {
                o.KnownProxies.Clear();
                o.KnownIPNetworks.Clear();
                foreach (var address in addresses)
                {
                    o.KnownProxies.Add(address);
                }
                foreach (var network in networks)
                {
                    o.KnownIPNetworks.Add(network);
                }
            }
        });
        return services;
    }

    /// First in the pipeline, so everything after it (errors, rate limits, cookies, the console) sees the client's scheme and address.
    public static WebApplication UsePlugboardForwardedHeaders(this WebApplication app)
    {
        if (Enabled(app.Configuration))
        {
            app.UseForwardedHeaders();
        }
        return app;
    }

    public static bool Enabled(IConfiguration configuration) => configuration[EnabledVariable] switch
    {
        null or "" => false,
        var v when bool.TryParse(v, out var on) => on,
        var v => throw new StartupException($"{EnabledVariable} must be true or false (got '{v}')."),
    };

    /// "10.0.0.5, 172.18.0.0/16, ::1" as addresses and networks; a word that is neither fails the start naming it.
    public static (List<IPAddress> Addresses, List<System.Net.IPNetwork> Networks) ParseProxies(string? value)
    {
        var addresses = new List<IPAddress>();
        var networks = new List<System.Net.IPNetwork>();
        foreach (var item in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (item.Contains('/') && System.Net.IPNetwork.TryParse(item, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(item, out var address))
            {
                addresses.Add(address);
            }
            else
            {
                throw new StartupException($"{KnownProxiesVariable} takes IP addresses and CIDR networks separated by commas; '{item}' is neither.");
            }
        }
        return (addresses, networks);
    }
}
