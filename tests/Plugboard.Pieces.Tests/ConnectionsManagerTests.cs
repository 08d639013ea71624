using System.Net;
using System.Text.Json.Nodes;

namespace Plugboard.Pieces.Tests;

public sealed class ConnectionsManagerTests : IAsyncLifetime
{
    private const string Secret = "gel_live_canary_5f1e";

    private FakeWorker _worker = null!;

    public async ValueTask InitializeAsync() => _worker = await FakeWorker.StartAsync();

    public async ValueTask DisposeAsync() => await _worker.DisposeAsync();

    private ConnectionsManager Manager(string token = FakeWorker.Token) => new(_worker.Client(), token);

    private static JsonObject CustomAuth() => new() { ["type"] = "CUSTOM_AUTH", ["props"] = new JsonObject { ["api_key"] = Secret } };

    [Fact]
    public async Task GetAsync_ActiveConnection_ReturnsValueAndSendsEngineToken()
    {
        _worker.Connection("gelato_org_1", CustomAuth());

        var connection = await Manager().GetAsync("gelato_org_1");

        Assert.Equal("gelato_org_1", connection.ExternalId);
        Assert.Equal("CUSTOM_AUTH", connection.Type);
        Assert.Equal(Secret, connection.Prop("api_key"));
        var request = Assert.Single(_worker.Requests);
        Assert.Equal("/api/v1/worker/app-connections/gelato_org_1", request.Target);
        Assert.Equal("Bearer " + FakeWorker.Token, request.Authorization);
    }

    [Fact]
    public async Task GetAsync_KeyWithReservedCharacters_IsEscapedAsOnePathSegment()
    {
        const string key = "gelato/org 1?x=y#z%";
        _worker.Connection(key, CustomAuth());

        var connection = await Manager().GetAsync(key);

        Assert.Equal(key, connection.ExternalId);
        Assert.Equal("/api/v1/worker/app-connections/gelato%2Forg%201%3Fx%3Dy%23z%25", Assert.Single(_worker.Requests).Target);
    }

    [Fact]
    public async Task GetAsync_404_ThrowsNotFoundNamingTheKey()
    {
        var error = await Assert.ThrowsAsync<ConnectionNotFoundException>(() => Manager().GetAsync("gelato_nobody"));

        Assert.Equal("connection (gelato_nobody) not found", error.Message);
        Assert.Equal("gelato_nobody", error.ConnectionKey);
        Assert.IsAssignableFrom<ConnectionException>(error);
    }

    [Fact]
    public async Task GetAsync_StatusError_ThrowsExpiredAndNoSecret()
    {
        _worker.Connection("gelato_org_1", CustomAuth(), status: "ERROR");

        var error = await Assert.ThrowsAsync<ConnectionExpiredException>(() => Manager().GetAsync("gelato_org_1"));

        Assert.Equal("connection (gelato_org_1) expired, reconnect again", error.Message);
        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(400)]
    [InlineData(403)]
    public async Task GetAsync_OtherErrorStatus_ThrowsLoadingWithTheStatus(int status)
    {
        _worker.Reply("gelato_org_1", status, $$$"""{"statusCode":{{{status}}},"code":"X","params":{"message":"{{{Secret}}}"}}""");

        var error = await Assert.ThrowsAsync<ConnectionLoadingException>(() => Manager().GetAsync("gelato_org_1"));

        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.StartsWith("Failed to load connection (gelato_org_1)", error.Message, StringComparison.Ordinal);
        Assert.Contains($"HTTP {status}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_BadToken_ThrowsLoading401()
    {
        _worker.Connection("gelato_org_1", CustomAuth());

        var error = await Assert.ThrowsAsync<ConnectionLoadingException>(() => Manager("eyJ-other").GetAsync("gelato_org_1"));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Theory]
    [InlineData("gel_live_canary_5f1e is not json")]
    [InlineData("[\"gel_live_canary_5f1e\"]")]
    [InlineData("{\"status\":\"ACTIVE\",\"value\":\"gel_live_canary_5f1e\"}")]
    public async Task GetAsync_BodyNotAConnection_ThrowsLoadingWithoutTheBody(string body)
    {
        _worker.Reply("gelato_org_1", 200, body);

        var error = await Assert.ThrowsAsync<ConnectionLoadingException>(() => Manager().GetAsync("gelato_org_1"));

        Assert.Equal(HttpStatusCode.OK, error.StatusCode);
        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_ConnectionRefused_ThrowsLoadingWithTheNetworkError()
    {
        using var http = new HttpClient { BaseAddress = FakeWorker.ClosedPort() };

        var error = await Assert.ThrowsAsync<ConnectionLoadingException>(() => new ConnectionsManager(http, FakeWorker.Token).GetAsync("gelato_org_1"));

        Assert.Null(error.StatusCode);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Contains("could not be reached", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_Cancelled_ThrowsCancellationNotLoading()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Manager().GetAsync("gelato_org_1", cancelled.Token));
    }

    [Fact]
    public void Constructor_ClientWithoutBaseAddress_Throws()
    {
        using var http = new HttpClient();

        Assert.Throws<ArgumentException>(() => new ConnectionsManager(http, FakeWorker.Token));
    }
}
