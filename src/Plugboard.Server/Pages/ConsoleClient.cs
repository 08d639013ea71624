using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Plugboard.Client;

namespace Plugboard.Server.Pages;

/// The console is a client of this server's own API: its pages call it through Plugboard.Client over loopback, with
/// the signed-in user's key, so authorization, validation and error messages are exactly the API's.
public sealed class ConsoleClient : IDisposable
{
    private readonly Lazy<HttpClient> _http;

    public ConsoleClient(IServer server)
    {
        // Lazily: the addresses are known only once Kestrel has bound them.
        _http = new(() => new HttpClient { BaseAddress = OwnAddress(server), Timeout = TimeSpan.FromSeconds(30) });
    }

    /// A client whose every request carries <paramref name="apiKey"/>.
    public PlugboardClient For(string apiKey) => new(_http.Value, apiKey);

    public PlugboardClient For(SignedIn session) => For(session.ApiKey);

    /// The first address Kestrel listens on, with a wildcard host (0.0.0.0, [::], +, *, localhost) made a loopback one.
    internal static Uri OwnAddress(IServer server)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("The server exposes no addresses.");
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.First();
        var uri = new Uri(address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal));
        var host = uri.Host switch
        {
            "0.0.0.0" or "localhost" => IPAddress.Loopback.ToString(),
            "[::]" or "::" => "[::1]",
            _ => uri.Host,
        };
        return new UriBuilder(uri) { Host = host, Path = "/" }.Uri;
    }

    public void Dispose()
    {
        if (_http.IsValueCreated)
        {
            _http.Value.Dispose();
        }
    }
}
