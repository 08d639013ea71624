using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Plugboard.Server.Audit;
using Plugboard.Server.Tests.Engine;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Server.Tests.Proxy;
using Plugboard.Testing.FakeUpstream;

namespace Plugboard.Server.Tests.Mcp;

/// /mcp with the official C# MCP client over Streamable HTTP: the token selects the server and its project, the tools
/// are the server's plus list_connections, an API tool goes through the proxy against a fake API on 127.0.0.1 that
/// records what it received, and a rotated or deleted token is refused on the next request.
public abstract class McpProtocolTests(ProxyFixture fixture)
{
    private const string UpstreamSecret = "sk_live_mcp_upstream_secret";
    private readonly HttpClient _admin = fixture.App.Client();

    private sealed record Agent(string ProjectId, string ServerId, string Token, string ConnectionKey);

    /// A project with a SECRET_TEXT connection whose API is the fake upstream under /v1, and an MCP server with one API tool on it.
    private async Task<Agent> AgentAsync()
    {
        var projectId = await _admin.CreateProjectAsync();
        var key = Api.Unique("mcp").ToLowerInvariant();
        (await _admin.ApiPostAsync("/api/v1/connection-definitions", new
        {
            stableKey = key, displayName = "CRM", pieceName = "@acme/piece-api", type = "SECRET_TEXT", credentials = "CUSTOMER",
            proxyBaseUrl = fixture.Upstream.BaseUrl + "/v1",
        })).AssertStatus(HttpStatusCode.Created);
        (await _admin.ApiPostAsync("/api/v1/app-connections", new { projectId, definition = key, value = new { type = "SECRET_TEXT", secret_text = UpstreamSecret } }))
            .AssertStatus(HttpStatusCode.Created);
        var created = (await _admin.ApiPostAsync("/api/v1/mcp-servers", new { name = "Support agent", projectId })).AssertStatus(HttpStatusCode.Created);
        var tool = new
        {
            type = "PIECE", toolName = "crm_api",
            pieceMetadata = new { pieceName = "@acme/piece-api", pieceVersion = "0.1.0", actionName = "custom_api_call", actionDisplayName = "CRM API", connectionExternalId = key },
        };
        (await _admin.ApiPostAsync($"/api/v1/mcp-servers/{created.Str("id")}", new { tools = new[] { tool } })).AssertStatus(HttpStatusCode.OK);
        return new Agent(projectId, created.Str("id"), created.Str("token"), key);
    }

    private async Task<McpClient> ConnectAsync(string token)
    {
        var http = fixture.App.Client(token);
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = new Uri(http.BaseAddress!, "/mcp"), TransportMode = HttpTransportMode.StreamableHttp },
            http, NullLoggerFactory.Instance, ownsHttpClient: true);
        return await McpClient.CreateAsync(transport, cancellationToken: TestContext.Current.CancellationToken);
    }

    private static Task<CallToolResult> CallAsync(McpClient client, string tool, object? arguments = null) =>
        client.CallToolAsync(tool, arguments is null ? null : JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(arguments)),
            cancellationToken: TestContext.Current.CancellationToken).AsTask();

    private static string TextOf(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    private async Task<ApiResponse> RawAsync(string? authorization)
    {
        var client = fixture.App.Client(null);
        client.DefaultRequestHeaders.Authorization = authorization is null ? null : AuthenticationHeaderValue.Parse(authorization);
        return await client.RawListToolsAsync();
    }

    [Fact]
    public async Task Agent_InitializesListsToolsAndCallsThem_TheApiToolReachesTheApiWithTheCredentialItNeverSees()
    {
        var agent = await AgentAsync();
        var path = $"/v1/orders/{Guid.NewGuid():N}";
        await using var client = await ConnectAsync(agent.Token);
        Assert.Equal("plugboard", client.ServerInfo?.Name);

        var tools = await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(["crm_api", "list_connections"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        var schema = tools.Single(t => t.Name == "crm_api").ProtocolTool.InputSchema;
        Assert.Equal(["method", "path"], schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));

        var listed = await CallAsync(client, "list_connections");
        Assert.NotEqual(true, listed.IsError);
        var connection = Assert.Single(listed.StructuredContent!.Value.GetProperty("connections").EnumerateArray());
        Assert.Equal((agent.ConnectionKey, "SECRET_TEXT", "ACTIVE"),
            (connection.GetProperty("externalId").GetString(), connection.GetProperty("type").GetString(), connection.GetProperty("status").GetString()));

        var called = await CallAsync(client, "crm_api", new { method = "POST", path = path[3..] + "?expand=items", query = new { limit = 5 }, body = new { amount = 42 } });
        Assert.NotEqual(true, called.IsError);
        Assert.StartsWith("HTTP 200", TextOf(called), StringComparison.Ordinal);
        Assert.Equal(200, called.StructuredContent!.Value.GetProperty("status").GetInt32());
        Assert.True(called.StructuredContent.Value.GetProperty("body").GetProperty("ok").GetBoolean());
        var received = fixture.Upstream.Received.Last(r => r.Path == path);
        Assert.Equal(("POST", "?expand=items&limit=5", """{"amount":42}"""), (received.Method, received.Query, received.Body));
        Assert.Equal($"Bearer {UpstreamSecret}", received.Headers["Authorization"]);
        Assert.DoesNotContain(agent.Token, string.Concat(received.Headers.Values), StringComparison.Ordinal);

        Assert.DoesNotContain(UpstreamSecret, TextOf(listed) + TextOf(called) + JsonSerializer.Serialize(tools.Select(t => t.ProtocolTool)), StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.App.Logs.Lines, line => line.Contains(agent.Token, StringComparison.Ordinal) || line.Contains(UpstreamSecret, StringComparison.Ordinal));
        await fixture.App.FlushReadAuditAsync();
        var audited = await fixture.App.WithDbAsync(db => db.Set<AuditEvent>().AsNoTracking()
            .Where(e => e.ProjectId == agent.ProjectId && e.Action == "connection.proxied").Select(e => new { e.ActorType, e.ActorId, e.Details }).ToListAsync());
        Assert.Contains(audited, e => e.ActorType == "MCP_SERVER" && e.ActorId == agent.ServerId && e.Details!.Contains(path, StringComparison.Ordinal));
        Assert.DoesNotContain(audited, e => e.Details!.Contains(UpstreamSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UpstreamErrorsAndBadArguments_AreToolErrorsTheAgentCanRead_NotProtocolFailures()
    {
        var agent = await AgentAsync();
        var missing = $"/v1/missing/{Guid.NewGuid():N}";
        fixture.Upstream.Reply[missing] = _ => (404, """{"error":"no such order"}""", new Dictionary<string, string>());
        await using var client = await ConnectAsync(agent.Token);

        var notFound = await CallAsync(client, "crm_api", new { method = "GET", path = missing[3..] });
        Assert.True(notFound.IsError);
        Assert.Contains("HTTP 404", TextOf(notFound), StringComparison.Ordinal);
        Assert.Contains("no such order", TextOf(notFound), StringComparison.Ordinal);

        var sentBefore = fixture.Upstream.Received.Count;
        foreach (var arguments in new object[]
        {
            new { method = "TRACE", path = "/x" },
            new { method = "GET" },
            new { method = "GET", path = "/../admin" },
            new { method = "GET", path = "//evil.example/x" },
            new { method = "GET", path = "/x", query = new { nested = new { a = 1 } } },
            new { method = "GET", path = "/x", body = new { a = 1 } },
            new { method = "GET", path = "/x", headers = new { Authorization = "Bearer mine" } },
        })
        {
            var refused = await CallAsync(client, "crm_api", arguments);
            Assert.True(refused.IsError, JsonSerializer.Serialize(arguments));
            Assert.StartsWith("VALIDATION", TextOf(refused), StringComparison.Ordinal);
        }
        Assert.Equal(sentBefore, fixture.Upstream.Received.Count);

        var unknown = await Assert.ThrowsAsync<ModelContextProtocol.McpProtocolException>(() => CallAsync(client, "no_such_tool"));
        Assert.Contains("no_such_tool", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToolsConnection_DeletedOrInErrorAfterConfiguration_IsAToolErrorAndNothingIsSent()
    {
        var agent = await AgentAsync();
        await using var client = await ConnectAsync(agent.Token);
        var id = (await _admin.ApiGetAsync($"/api/v1/app-connections?projectId={agent.ProjectId}")).AssertStatus(HttpStatusCode.OK)
            .Body.GetProperty("data")[0].GetProperty("id").GetString();
        (await _admin.ApiDeleteAsync($"/api/v1/app-connections/{id}")).AssertStatus(HttpStatusCode.NoContent);
        var sentBefore = fixture.Upstream.Received.Count;

        var gone = await CallAsync(client, "crm_api", new { method = "GET", path = "/me" });

        Assert.True(gone.IsError);
        Assert.StartsWith("ENTITY_NOT_FOUND", TextOf(gone), StringComparison.Ordinal);
        Assert.Equal(sentBefore, fixture.Upstream.Received.Count);
        var listed = await CallAsync(client, "list_connections");
        Assert.Empty(listed.StructuredContent!.Value.GetProperty("connections").EnumerateArray());
    }

    [Fact]
    public async Task Token_RotatedThenDeleted_TheOldOneAndThenTheNewOneAreRefusedOnTheNextRequest()
    {
        var agent = await AgentAsync();
        await using (var client = await ConnectAsync(agent.Token))
        {
            Assert.Equal(2, (await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).Count);
            var rotated = (await _admin.ApiPostAsync($"/api/v1/mcp-servers/{agent.ServerId}/rotate", new { })).AssertStatus(HttpStatusCode.OK).Str("token");

            await Assert.ThrowsAnyAsync<Exception>(() => client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken).AsTask());
            (await RawAsync($"Bearer {agent.Token}")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");

            await using var renewed = await ConnectAsync(rotated);
            Assert.Equal(2, (await renewed.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).Count);
            (await _admin.ApiDeleteAsync($"/api/v1/mcp-servers/{agent.ServerId}")).AssertStatus(HttpStatusCode.NoContent);

            await Assert.ThrowsAnyAsync<Exception>(() => renewed.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken).AsTask());
            (await RawAsync($"Bearer {rotated}")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        }
    }

    [Fact]
    public async Task MissingWrongOrOtherKindsOfCredential_AllGetTheSame401_SayingNothingOfAnyServer()
    {
        var agent = await AgentAsync();
        var answers = new[]
        {
            await RawAsync(null),
            await RawAsync("Bearer mcp_" + new string('x', 60)),
            await RawAsync($"Bearer {agent.Token}x"),
            await RawAsync($"Bearer {TestApp.AdminKey}"),
            await RawAsync($"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes("a:b"))}"),
        };

        foreach (var answer in answers)
        {
            answer.AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        }
        Assert.Single(answers.Select(a => a.Raw).Distinct());
        (await RawAsync($"Bearer {agent.Token}")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task McpToken_OnTheRestApiOrTheProxy_IsRefused()
    {
        var agent = await AgentAsync();
        var asAgent = fixture.App.Client(agent.Token);

        (await asAgent.ApiGetAsync($"/api/v1/app-connections?projectId={agent.ProjectId}")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        (await asAgent.ApiGetAsync($"/api/v1/proxy/{agent.ConnectionKey}/me?projectId={agent.ProjectId}")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        (await asAgent.ApiGetAsync($"/api/v1/worker/proxy/{agent.ConnectionKey}/me")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
    }
}

public sealed class McpProtocolSqliteTests(SqliteProxyFixture fixture) : McpProtocolTests(fixture), IClassFixture<SqliteProxyFixture>;

public sealed class McpProtocolPostgresTests(PostgresProxyFixture fixture) : McpProtocolTests(fixture), IClassFixture<PostgresProxyFixture>;
