using System.Net;
using System.Text;
using System.Text.Json;

namespace Plugboard.Client.Tests.Proxy;

public sealed class ProxyClientTests(ProxyServer proxy) : IClassFixture<ProxyServer>
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task EveryVerb_WithAnApiKey_ReachesTheUpstreamWithTheCredentialInjectedAndTheProjectIdKept()
    {
        var client = proxy.Server.Client();
        var project = await proxy.Server.NewProjectAsync();
        var key = await proxy.ConnectAsync(project.Id, "sk_live_keyroute");
        var id = Guid.NewGuid().ToString("N");
        var path = $"/v1/orders/{id}/a+b";
        using var body = Json("""{"amount":42}""");

        using var get = await client.Proxy.GetAsync(key, $"orders/{id}/a+b?expand=items&limit=5", project.Id);
        using var post = await client.Proxy.PostAsync(key, $"orders/{id}/a+b", body, project.Id);
        using var put = await client.Proxy.PutAsync(key, $"orders/{id}/a+b", Json("""{"amount":43}"""), project.Id);
        using var patch = await client.Proxy.PatchAsync(key, $"orders/{id}/a+b", Json("""{"amount":44}"""), project.Id);
        using var delete = await client.Proxy.DeleteAsync(key, $"/orders/{id}/a+b", project.Id);

        Assert.All(new[] { get, post, put, patch, delete }, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(path, JsonDocument.Parse(await get.Content.ReadAsStringAsync()).RootElement.GetProperty("path").GetString());
        var received = proxy.ReceivedAt(path);
        Assert.Equal(["GET", "POST", "PUT", "PATCH", "DELETE"], received.Select(r => r.Method));
        Assert.Equal("?expand=items&limit=5", received[0].Query);
        Assert.All(received.Skip(1), r => Assert.Equal("", r.Query));
        Assert.Equal(["", """{"amount":42}""", """{"amount":43}""", """{"amount":44}""", ""], received.Select(r => r.Body));
        Assert.All(received, r => Assert.Equal("Bearer sk_live_keyroute", r.Headers["Authorization"]));
    }

    [Fact]
    public async Task EveryVerb_WithAnEngineToken_ReachesTheUpstreamThroughTheWorkerRoute()
    {
        var client = proxy.Server.Client();
        var project = await proxy.Server.NewProjectAsync();
        var key = await proxy.ConnectAsync(project.Id, "sk_live_engine");
        var worker = client.ForEngine((await client.EngineTokens.IssueAsync(new IssueEngineTokenRequest { ProjectId = project.Id })).Token);
        var id = Guid.NewGuid().ToString("N");

        using var get = await worker.Proxy.GetAsync(key, $"runs/{id}?page=2");
        using var post = await worker.Proxy.PostAsync(key, $"runs/{id}", Json("""{"step":1}"""));
        using var put = await worker.Proxy.PutAsync(key, $"runs/{id}", Json("""{"step":2}"""));
        using var patch = await worker.Proxy.PatchAsync(key, $"runs/{id}", Json("""{"step":3}"""));
        using var delete = await worker.Proxy.DeleteAsync(key, $"runs/{id}");
        using var sent = await worker.Proxy.SendAsync(HttpMethod.Get, key, $"runs/{id}");

        Assert.All(new[] { get, post, put, patch, delete, sent }, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var received = proxy.ReceivedAt($"/v1/runs/{id}");
        Assert.Equal(["GET", "POST", "PUT", "PATCH", "DELETE", "GET"], received.Select(r => r.Method));
        Assert.Equal("?page=2", received[0].Query);
        Assert.Equal("""{"step":3}""", received[3].Body);
        Assert.All(received, r => Assert.Equal("Bearer sk_live_engine", r.Headers["Authorization"]));
    }

    [Fact]
    public async Task SendAsync_UpstreamAnswers503_PassedThroughAsItCameAndSentOnce()
    {
        var client = proxy.Server.Client();
        var project = await proxy.Server.NewProjectAsync();
        var key = await proxy.ConnectAsync(project.Id, "sk_live_flaky");
        var path = $"/v1/flaky/{Guid.NewGuid():N}";
        proxy.Upstream.Reply[path] = _ => (503, """{"error":"busy"}""", new Dictionary<string, string> { ["Retry-After"] = "0" });

        // A GET, which the SDK retries on a 503 everywhere else: through the proxy it is the upstream's answer.
        using var response = await client.Proxy.SendAsync(HttpMethod.Get, key, path[4..], projectId: project.Id);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("""{"error":"busy"}""", await response.Content.ReadAsStringAsync());
        Assert.Single(proxy.ReceivedAt(path));
    }

    [Fact]
    public async Task SendAsync_PlugboardsOwnRefusals_ThrowWithNothingSent_TheUpstreamsSameStatusesComeBack()
    {
        var client = proxy.Server.Client();
        var project = await proxy.Server.NewProjectAsync();
        var key = await proxy.ConnectAsync(project.Id, "sk_live_refusals");
        var path = $"/v1/refusals/{Guid.NewGuid():N}";
        proxy.Upstream.Reply[path + "/gone"] = _ => (404, """{"error":"no such order"}""", new Dictionary<string, string>());
        proxy.Upstream.Reply[path + "/denied"] = _ => (401, """{"error":"bad key"}""", new Dictionary<string, string>());
        var before = proxy.Upstream.Received.Count;

        // Plugboard's: an unknown connection, a key it does not know. Thrown like every other call's refusal.
        var unknown = await Assert.ThrowsAsync<PlugboardApiException>(() => client.Proxy.GetAsync("no-such-connection", "anything", project.Id));
        Assert.Equal((HttpStatusCode.NotFound, "ENTITY_NOT_FOUND"), (unknown.StatusCode, unknown.Code));
        var badKey = proxy.Server.Client(globalKey: "sk-" + new string('x', 60));
        var refused = await Assert.ThrowsAsync<PlugboardApiException>(() => badKey.Proxy.GetAsync(key, path[4..] + "/gone", project.Id));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(before, proxy.Upstream.Received.Count);

        // The upstream's 404 and 401 are its answers, marked by the server and returned as they came.
        using var gone = await client.Proxy.GetAsync(key, path[4..] + "/gone", project.Id);
        using var denied = await client.Proxy.GetAsync(key, path[4..] + "/denied", project.Id);
        Assert.Equal((HttpStatusCode.NotFound, """{"error":"no such order"}"""), (gone.StatusCode, await gone.Content.ReadAsStringAsync()));
        Assert.Equal((HttpStatusCode.Unauthorized, """{"error":"bad key"}"""), (denied.StatusCode, await denied.Content.ReadAsStringAsync()));
        Assert.All(new[] { gone, denied }, r => Assert.Equal(["true"], r.Headers.GetValues("Plugboard-Upstream")));
    }

    [Fact]
    public async Task SendAsync_AMethodTheProxyDoesNotForward_IsRefusedBeforeSending()
    {
        var client = proxy.Server.Client();

        await Assert.ThrowsAsync<ArgumentException>(() => client.Proxy.SendAsync(HttpMethod.Head, "x", "y"));
        await Assert.ThrowsAsync<ArgumentException>(() => client.ForEngine("token").Proxy.SendAsync(HttpMethod.Options, "x", "y"));
    }

    [Theory]
    [InlineData("orders", null, "api/v1/proxy/conn%20a/orders")]
    [InlineData("/v1/a b/c", "p1", "api/v1/proxy/conn%20a/v1/a%20b/c?projectId=p1")]
    [InlineData("search/x%y?q=shoes&size=1", "p 1", "api/v1/proxy/conn%20a/search/x%25y?q=shoes&size=1&projectId=p%201")]
    public void Uri_EachSegmentEscaped_SlashesAndTheCallersQueryKept(string path, string? projectId, string expected) =>
        Assert.Equal(expected, ProxyCalls.Uri("api/v1/proxy", "conn a", path, projectId));
}
