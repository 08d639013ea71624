using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Plugboard.Server.Configuration;
using Plugboard.Server.OAuth.Outbound;

namespace Plugboard.Server.Tests.OAuth;

public sealed class OutboundGuardTests
{
    // Every network test runs under this token: a guard that tried to connect to 10.0.0.1 would hang
    // until it fired and fail with a cancellation instead of a refusal.
    private static CancellationTokenSource FiveSeconds() => new(TimeSpan.FromSeconds(5));

    private static OutboundOptions AllowOnly(params string[] hosts) => new() { AllowedHosts = new HashSet<string>(hosts) };

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("0.255.255.255")]
    [InlineData("10.0.0.1")]
    [InlineData("10.255.255.255")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.255")]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("169.254.169.254")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.0.0.8")]
    [InlineData("192.168.1.1")]
    [InlineData("198.18.0.1")]
    [InlineData("198.19.255.255")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.255")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fc00::1")]
    [InlineData("fdff:ffff::1")]
    [InlineData("fe80::1")]
    [InlineData("febf::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("::127.0.0.1")]
    [InlineData("::ffff:0:10.0.0.1")]
    [InlineData("64:ff9b::127.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("64:ff9b:1::8.8.8.8")]
    [InlineData("2002:7f00:1::1")]
    public void IsForbidden_ReservedOrInternalAddress_True(string address)
    {
        Assert.True(AddressRules.IsForbidden(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("9.255.255.255")]
    [InlineData("11.0.0.0")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("126.255.255.255")]
    [InlineData("128.0.0.0")]
    [InlineData("169.253.255.255")]
    [InlineData("169.255.0.0")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("192.0.1.1")]
    [InlineData("192.167.255.255")]
    [InlineData("192.169.0.0")]
    [InlineData("198.17.255.255")]
    [InlineData("198.20.0.0")]
    [InlineData("223.255.255.255")]
    [InlineData("2606:4700::1111")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("64:ff9b::8.8.8.8")]
    [InlineData("2002:808:808::1")]
    [InlineData("fbff::1")]
    public void IsForbidden_PublicAddress_False(string address)
    {
        Assert.False(AddressRules.IsForbidden(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("http://127.0.0.1/token")]
    [InlineData("https://127.0.0.1/token")]
    [InlineData("http://10.0.0.1/token")]
    [InlineData("https://10.0.0.1/token")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("http://[::1]/token")]
    [InlineData("https://[::1]/token")]
    [InlineData("https://[::ffff:127.0.0.1]/token")]
    [InlineData("https://[fd00::1]/token")]
    [InlineData("https://0.0.0.0/token")]
    [InlineData("https://127.1/token")]
    [InlineData("https://2130706433/token")]
    [InlineData("https://0x7f.1/token")]
    [InlineData("https://0177.0.0.1/token")]
    [InlineData("https://100.64.0.1/token")]
    [InlineData("https://user:pw@example.com/token")]
    [InlineData("http://example.com/token")]
    [InlineData("ftp://example.com/token")]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://example.com/_")]
    [InlineData("relative/token")]
    [InlineData("/token")]
    public void RefusalFor_UnsafeUrl_GivesReason(string url)
    {
        using var outbound = new OutboundHttp(new OutboundOptions());

        Assert.NotNull(outbound.RefusalFor(new Uri(url, UriKind.RelativeOrAbsolute)));
    }

    [Theory]
    [InlineData("https://oauth2.googleapis.com/token")]
    [InlineData("https://login.example.com:8443/oauth/token?x=1")]
    [InlineData("https://8.8.8.8/token")]
    [InlineData("https://[2606:4700::1111]/token")]
    public void RefusalFor_PublicHttpsUrl_Null(string url)
    {
        using var outbound = new OutboundHttp(new OutboundOptions());

        Assert.Null(outbound.RefusalFor(new Uri(url)));
    }

    [Fact]
    public void RefusalFor_InternalAddress_NamesTheHost()
    {
        using var outbound = new OutboundHttp(new OutboundOptions());

        var reason = outbound.RefusalFor(new Uri("http://169.254.169.254/latest/meta-data"));

        Assert.Contains("169.254.169.254", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusalFor_UserInfo_DoesNotEchoIt()
    {
        using var outbound = new OutboundHttp(new OutboundOptions());

        var reason = outbound.RefusalFor(new Uri("https://someone:s3cr3t-pw@example.com/token"));

        Assert.Contains("example.com", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-pw", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("someone", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1", "http://127.0.0.1:8080/token")]
    [InlineData("[::1]", "http://[::1]:8080/token")]
    [InlineData("::1", "http://[0:0:0:0:0:0:0:1]/token")]
    [InlineData("LOCALHOST", "http://localhost:8080/token")]
    public void RefusalFor_AllowListedHost_Null(string allowed, string url)
    {
        using var outbound = new OutboundHttp(AllowOnly(allowed));

        Assert.Null(outbound.RefusalFor(new Uri(url)));
    }

    [Fact]
    public void RefusalFor_NameResolvingToAllowListedIp_StillNeedsHttps()
    {
        using var outbound = new OutboundHttp(AllowOnly("127.0.0.1"));

        Assert.NotNull(outbound.RefusalFor(new Uri("http://localhost:8080/token")));
    }

    [Fact]
    public void FromConfiguration_HostList_NormalisesBracketsAndCase()
    {
        var options = OutboundOptions.FromConfiguration(Configuration(new() { [OutboundOptions.AllowedHostsVariable] = " 127.0.0.1, LocalHost ,[::1],," }));

        Assert.True(options.IsAllowListed("127.0.0.1"));
        Assert.True(options.IsAllowListed("localhost"));
        Assert.True(options.IsAllowListed("::1"));
        Assert.True(options.IsAllowListed("[::1]"));
        Assert.True(options.IsAllowListed("0:0:0:0:0:0:0:1"));
        Assert.Contains("::1", options.AllowedHosts);
        Assert.False(options.IsAllowListed("127.0.0.2"));
        Assert.False(options.IsAllowListed("localhost.example.com"));
        Assert.Equal(3, options.AllowedHosts.Count);
    }

    [Fact]
    public void FromConfiguration_TheOAuthNameAlone_StillWorksAsAnAliasAndTheOutboundNameWinsOverIt()
    {
        var alias = OutboundOptions.FromConfiguration(Configuration(new() { [OutboundOptions.AllowedHostsAlias] = "127.0.0.1" }));
        var both = OutboundOptions.FromConfiguration(Configuration(new()
        {
            [OutboundOptions.AllowedHostsAlias] = "127.0.0.1", [OutboundOptions.AllowedHostsVariable] = "localhost",
        }));

        Assert.Equal("PLUGBOARD_OUTBOUND_ALLOWED_HOSTS", OutboundOptions.AllowedHostsVariable);
        Assert.True(alias.IsAllowListed("127.0.0.1"));
        Assert.True(both.IsAllowListed("localhost"));
        Assert.False(both.IsAllowListed("127.0.0.1"));
    }

    [Fact]
    public void FromConfiguration_Nothing_AllowsNothingWithDefaults()
    {
        var options = OutboundOptions.FromConfiguration(Configuration([]));

        Assert.Empty(options.AllowedHosts);
        Assert.Equal(TimeSpan.FromSeconds(20), options.Timeout);
        Assert.Equal(1024 * 1024, options.MaxResponseBytes);
    }

    [Fact]
    public void FromConfiguration_TimeoutSeconds_SetsTimeout()
    {
        var options = OutboundOptions.FromConfiguration(Configuration(new() { [OutboundOptions.TimeoutVariable] = "7.5" }));

        Assert.Equal(TimeSpan.FromSeconds(7.5), options.Timeout);
    }

    [Theory]
    [InlineData(OutboundOptions.TimeoutVariable, "0")]
    [InlineData(OutboundOptions.TimeoutVariable, "-3")]
    [InlineData(OutboundOptions.TimeoutVariable, "soon")]
    [InlineData(OutboundOptions.TimeoutVariable, "100000")]
    [InlineData(OutboundOptions.AllowedHostsVariable, "127.0.0.1:8080")]
    [InlineData(OutboundOptions.AllowedHostsVariable, "localhost,http://example.com")]
    [InlineData(OutboundOptions.AllowedHostsVariable, "bad host")]
    public void FromConfiguration_BadValue_ThrowsStartupExceptionNamingTheVariable(string variable, string value)
    {
        var error = Assert.Throws<StartupException>(() => OutboundOptions.FromConfiguration(Configuration(new() { [variable] = value })));

        Assert.Contains(variable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddOutboundHttp_FromConfiguration_RegistersSingletons()
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(Configuration(new() { [OutboundOptions.AllowedHostsVariable] = "127.0.0.1" }))
            .AddOutboundHttp();
        using var provider = services.BuildServiceProvider();

        var outbound = provider.GetRequiredService<OutboundHttp>();

        Assert.Same(outbound, provider.GetRequiredService<OutboundHttp>());
        Assert.True(provider.GetRequiredService<OutboundOptions>().IsAllowListed("127.0.0.1"));
        Assert.Equal(TimeSpan.FromSeconds(20), outbound.Client.Timeout);
    }

    [Fact]
    public void IsRefusal_WrappedInHttpRequestException_FindsIt()
    {
        var refusal = new OutboundRefusedException("host x refused");
        var wrapped = new InvalidOperationException("outer", new HttpRequestException("mid", refusal));

        Assert.True(OutboundRefusedException.IsRefusal(wrapped, out var found));
        Assert.Same(refusal, found);
        Assert.True(OutboundRefusedException.IsRefusal(new AggregateException(new IOException(), refusal), out _));
        Assert.False(OutboundRefusedException.IsRefusal(new HttpRequestException("no", new SocketException()), out _));
    }

    [Theory]
    [InlineData("http")]
    [InlineData("https")]
    public async Task Client_LoopbackNotAllowListed_RefusedWithoutConnecting(string scheme)
    {
        await using var server = CannedServer.Start();
        using var outbound = new OutboundHttp(new OutboundOptions());
        using var cts = FiveSeconds();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => outbound.Client.GetAsync(new Uri($"{scheme}://127.0.0.1:{server.Port}/token"), cts.Token));

        Assert.True(OutboundRefusedException.IsRefusal(error, out _));
        Assert.Equal(0, server.Connections);
    }

    [Theory]
    [InlineData("http")]
    [InlineData("https")]
    public async Task Client_LocalhostWhenOnlyIpAllowListed_RefusedWithoutConnecting(string scheme)
    {
        await using var server = CannedServer.Start();
        using var outbound = new OutboundHttp(AllowOnly("127.0.0.1"));
        using var cts = FiveSeconds();

        // https passes the URL rules (a name is not checked there), so this reaches the connect-time guard.
        var error = await Assert.ThrowsAnyAsync<Exception>(() => outbound.Client.GetAsync(new Uri($"{scheme}://localhost:{server.Port}/token"), cts.Token));

        Assert.True(OutboundRefusedException.IsRefusal(error, out _));
        Assert.Equal(0, server.Connections);
    }

    [Fact]
    public async Task Client_LoopbackAllowListed_Succeeds()
    {
        await using var server = CannedServer.Start();
        using var outbound = new OutboundHttp(AllowOnly("127.0.0.1"));
        using var cts = FiveSeconds();

        using var response = await outbound.Client.GetAsync(new Uri($"http://127.0.0.1:{server.Port}/token"), cts.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync(cts.Token));
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task Client_LocalhostNameAllowListed_ConnectsToCheckedAddress()
    {
        await using var server = CannedServer.Start();
        using var outbound = new OutboundHttp(AllowOnly("localhost"));
        using var cts = FiveSeconds();

        // localhost may resolve to ::1 first, where nothing listens; the next checked address is tried.
        using var response = await outbound.Client.GetAsync(new Uri($"http://localhost:{server.Port}/token"), cts.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("https://10.0.0.1/token")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[::1]:9/token")]
    [InlineData("https://[::ffff:169.254.169.254]/latest/meta-data")]
    public async Task Client_InternalAddress_RefusedBeforeConnecting(string url)
    {
        using var outbound = new OutboundHttp(new OutboundOptions());
        using var cts = FiveSeconds();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => outbound.Client.GetAsync(new Uri(url), cts.Token));

        Assert.True(OutboundRefusedException.IsRefusal(error, out _), error.ToString());
    }

    [Theory]
    [InlineData("http://10.0.0.1/token")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[::1]:9/token")]
    public async Task ConnectCallback_InternalAddressWithoutUrlRules_RefusedBeforeConnecting(string url)
    {
        // The transport alone: proves the connect-time guard holds even for a URL no pre-check saw.
        using var client = new HttpClient(OutboundHttp.CreateSocketsHandler(new OutboundOptions()));
        using var cts = FiveSeconds();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => client.GetAsync(new Uri(url), cts.Token));

        Assert.True(OutboundRefusedException.IsRefusal(error, out _), error.ToString());
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task ConnectCallback_LoopbackWithoutUrlRules_RefusedWithoutConnecting(string host)
    {
        await using var server = CannedServer.Start();
        using var client = new HttpClient(OutboundHttp.CreateSocketsHandler(AllowOnly("example.com")));
        using var cts = FiveSeconds();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => client.GetAsync(new Uri($"http://{host}:{server.Port}/token"), cts.Token));

        Assert.True(OutboundRefusedException.IsRefusal(error, out _));
        Assert.Equal(0, server.Connections);
    }

    [Fact]
    public async Task Client_Redirect_ReturnedNotFollowed()
    {
        await using var server = CannedServer.Start();
        using var outbound = new OutboundHttp(AllowOnly("127.0.0.1"));
        using var cts = FiveSeconds();

        using var response = await outbound.Client.GetAsync(new Uri($"http://127.0.0.1:{server.Port}/redirect"), cts.Token);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(1, server.Requests);
    }

    [Theory]
    [InlineData("bytes")]
    [InlineData("stream")]
    public async Task ReadCappedAsync_BodyOverCap_Throws(string kind)
    {
        await using var server = CannedServer.Start();
        using var outbound = new OutboundHttp(AllowOnly("127.0.0.1"));
        using var cts = FiveSeconds();
        using var response = await outbound.Client.GetAsync(new Uri($"http://127.0.0.1:{server.Port}/{kind}/2048"), HttpCompletionOption.ResponseHeadersRead, cts.Token);

        var error = await Assert.ThrowsAsync<OutboundRefusedException>(() => OutboundHttp.ReadCappedAsync(response, 1024, cts.Token));

        Assert.Equal("response too large", error.Message);
    }

    [Theory]
    [InlineData("bytes")]
    [InlineData("stream")]
    public async Task ReadCappedAsync_BodyWithinCap_ReturnsText(string kind)
    {
        await using var server = CannedServer.Start();
        using var outbound = new OutboundHttp(AllowOnly("127.0.0.1"));
        using var cts = FiveSeconds();
        using var response = await outbound.Client.GetAsync(new Uri($"http://127.0.0.1:{server.Port}/{kind}/1024"), HttpCompletionOption.ResponseHeadersRead, cts.Token);

        var body = await OutboundHttp.ReadCappedAsync(response, 1024, cts.Token);

        Assert.Equal(new string('a', 1024), body);
    }

    [Theory]
    [InlineData("bytes")]
    [InlineData("stream")]
    public async Task Client_BodyOverMaxResponseBytes_Refused(string kind)
    {
        await using var server = CannedServer.Start();
        using var outbound = new OutboundHttp(new OutboundOptions { AllowedHosts = new HashSet<string> { "127.0.0.1" }, MaxResponseBytes = 1024 });
        using var cts = FiveSeconds();

        // Even a caller that buffers with GetStringAsync, bypassing ReadCappedAsync, is capped.
        var error = await Assert.ThrowsAnyAsync<Exception>(() => outbound.Client.GetStringAsync(new Uri($"http://127.0.0.1:{server.Port}/{kind}/4096"), cts.Token));

        Assert.True(OutboundRefusedException.IsRefusal(error, out var refusal), error.ToString());
        Assert.Equal("response too large", refusal.Message);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    /// A raw HTTP/1.1 server on 127.0.0.1 that counts every accepted connection, so a test can assert
    /// that a refused call never reached it. Routes: /redirect (302 to /landed), /bytes/N (N bytes with
    /// Content-Length), /stream/N (N bytes until close), anything else "ok".
    private sealed class CannedServer : IAsyncDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stop = new();
        private readonly Task acceptLoop;
        private int connections;
        private int requests;

        private CannedServer()
        {
            listener.Start();
            acceptLoop = AcceptLoopAsync();
        }

        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;
        public int Connections => Volatile.Read(ref connections);
        public int Requests => Volatile.Read(ref requests);

        public static CannedServer Start() => new();

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            listener.Stop();
            await acceptLoop;
            stop.Dispose();
        }

        private async Task AcceptLoopAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }
                Interlocked.Increment(ref connections);
                _ = ServeAsync(client);
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    var path = await ReadRequestPathAsync(stream);
                    Interlocked.Increment(ref requests);
                    await stream.WriteAsync(ResponseFor(path), stop.Token);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
                {
                    // The client gave up; nothing to answer.
                }
            }
        }

        private async Task<string> ReadRequestPathAsync(NetworkStream stream)
        {
            var head = new StringBuilder();
            var buffer = new byte[1024];
            while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, stop.Token);
                if (read == 0)
                {
                    break;
                }
                head.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            var requestLine = head.ToString().Split("\r\n")[0].Split(' ');
            return requestLine.Length > 1 ? requestLine[1] : "/";
        }

        private byte[] ResponseFor(string path)
        {
            var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var text = parts switch
            {
                ["redirect"] => $"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:{Port}/landed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                ["bytes", var n] => $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {n}\r\nConnection: close\r\n\r\n{new string('a', int.Parse(n, System.Globalization.CultureInfo.InvariantCulture))}",
                ["stream", var n] => $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n{new string('a', int.Parse(n, System.Globalization.CultureInfo.InvariantCulture))}",
                _ => "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
            };
            return Encoding.ASCII.GetBytes(text);
        }
    }
}
