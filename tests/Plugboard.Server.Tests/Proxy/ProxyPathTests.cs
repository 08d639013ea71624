using Microsoft.AspNetCore.Http;
using Plugboard.Server.Proxy;

namespace Plugboard.Server.Tests.Proxy;

/// The proxy's path rule on its own, for the raw paths an HTTP client or Kestrel would normalise before they reach it.
public sealed class ProxyPathTests
{
    private const string Base = "https://api.example.com/v1";

    [Theory]
    [InlineData("../admin")]
    [InlineData("a/../../admin")]
    [InlineData("./a")]
    [InlineData("%2e%2e/admin")]
    [InlineData("%2E%2E%2Fadmin")]
    [InlineData("a%2f..%2fb")]
    [InlineData("//evil.example.com/x")]
    [InlineData("https://evil.example.com/x")]
    [InlineData("a\\..\\b")]
    [InlineData("a%5cb")]
    [InlineData("a%00b")]
    [InlineData("user@evil.example.com")]
    [InlineData("a b")]
    [InlineData("a\r\nX-Injected: 1")]
    public void Compose_PathLeavingTheBase_IsRefused(string path) =>
        Assert.False(ProxyPath.Compose(Base, path, QueryString.Empty).Succeeded, path);

    [Theory]
    [InlineData("orders/42", "https://api.example.com/v1/orders/42?x=1")]
    [InlineData("/orders", "https://api.example.com/v1/orders?x=1")]
    [InlineData("", "https://api.example.com/v1/?x=1")]
    [InlineData("files/a%20b.txt", "https://api.example.com/v1/files/a%20b.txt?x=1")]
    public void Compose_PathUnderTheBase_IsTheBaseWithThePathAndQuery(string path, string expected) =>
        Assert.Equal(expected, ProxyPath.Compose(Base, path, new QueryString("?x=1")).Value!.AbsoluteUri);
}
