using System.Net;
using Plugboard.Server.Configuration;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Server.Tests.Startup;

namespace Plugboard.Server.Tests.Deployment;

/// Behind a TLS-ending proxy the console's cookies must still be Secure: with PLUGBOARD_FORWARDED_HEADERS=true the
/// proxy's X-Forwarded-Proto is believed from a known proxy (loopback by default), and from no one else.
public sealed class ForwardedHeadersTests
{
    [Theory]
    [InlineData(null, null, false)]
    [InlineData("true", null, true)]
    [InlineData("true", "10.20.30.40, 172.18.0.0/16", false)]
    [InlineData("true", "127.0.0.0/8", true)]
    public async Task ForwardedProtoHttps_ConsoleSignIn_CookieSecureOnlyFromAKnownProxy(string? enabled, string? proxies, bool secure)
    {
        await using var replicas = await Replicas.CreateAsync(DatabaseEngine.Sqlite);
        var settings = new Dictionary<string, string>();
        if (enabled is not null)
        {
            settings[ForwardedHeadersSetup.EnabledVariable] = enabled;
        }
        if (proxies is not null)
        {
            settings[ForwardedHeadersSetup.KnownProxiesVariable] = proxies;
        }
        var server = await replicas.StartAsync("proxied", TestKey.New().Base64, settings);
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/console/sign-in");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        Assert.True(cookies.Count > 0, "the sign-in page set no cookie");
        Assert.True(cookies.All(c => c.Contains("; secure", StringComparison.OrdinalIgnoreCase) == secure),
            $"expected secure={secure}: {string.Join(" | ", cookies)}");
    }

    [Fact]
    public void ParseProxies_AddressesAndNetworks_SplitAndAWordRefused()
    {
        var (addresses, networks) = ForwardedHeadersSetup.ParseProxies(" 10.0.0.5, 172.18.0.0/16 ,::1");

        Assert.Equal(["10.0.0.5", "::1"], addresses.Select(a => a.ToString()));
        Assert.Equal(["172.18.0.0/16"], networks.Select(n => n.ToString()));
        var refused = Assert.Throws<StartupException>(() => ForwardedHeadersSetup.ParseProxies("10.0.0.5, proxy.internal"));
        Assert.Contains("proxy.internal", refused.Message, StringComparison.Ordinal);
    }
}
