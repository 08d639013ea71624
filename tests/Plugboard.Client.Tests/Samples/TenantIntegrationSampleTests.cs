using System.Net;
using System.Text;
using System.Text.Json;
using Plugboard.Client.Tests.Infrastructure;

namespace Plugboard.Client.Tests.Samples;

/// samples/TenantIntegration against the real server, with two tenants: A set up a key of its own (a project key of
/// the shared project, so it really differs from the global key and reaches less), B has none and uses the global
/// key. Both keep connections and MCP servers in the same Plugboard project, so only the sample's own rules keep
/// them apart.
public sealed class TenantIntegrationSampleTests(Servers servers)
{
    private const string NotConfigured = "Plugboard API key not configured";

    private static string NewTenant(string name) => $"{name}{Guid.NewGuid():N}";

    [Fact]
    public async Task Connections_TwoTenantsInOneProject_EachListsExactlyItsOwnAcrossPagesAndCannotDeleteTheOthers()
    {
        var server = await servers.SqliteAsync();
        var (shared, elsewhere) = (await server.NewProjectAsync(), await server.NewProjectAsync());
        var keyA = await server.CreateProjectKeyAsync(shared.Id);
        var dataDir = SampleHost.NewDataDir();
        var (tenantA, tenantB) = (NewTenant("ta"), NewTenant("tb"));
        try
        {
            List<string> idsA, idsB;
            await using (var sample = await SampleHost.StartAsync(server, globalKey: PlugboardServer.AdminKey, dataDir))
            {
                var (a, b) = (sample.As(tenantA), sample.As(tenantB));
                var setup = (await a.ApiPostAsync("setup", new { apiKey = keyA, organizationId = "org-a" })).Expect(HttpStatusCode.OK);
                Assert.True(Guid.TryParse(setup.Str("integrationTenantId"), out _));

                idsA = await CreateConnectionsAsync(a, shared.Id, 25, "xoxa-");
                idsB = await CreateConnectionsAsync(b, shared.Id, 25, "xoxb-");

                var listedA = await ListAsync(a, shared.Id, limit: 10);
                var listedB = await ListAsync(b, shared.Id, limit: 10);
                Assert.Equal(idsA.Order(), listedA.Select(c => c.GetProperty("id").GetString()!).Order());
                Assert.Equal(idsB.Order(), listedB.Select(c => c.GetProperty("id").GetString()!).Order());
                Assert.All(listedA, c => Assert.Equal(tenantA, c.GetProperty("metadata").GetProperty("tenantId").GetString()));
                Assert.All(listedA, c => Assert.StartsWith($"gauzy-tenant-{tenantA}-org-", c.GetProperty("externalId").GetString(), StringComparison.Ordinal));
                Assert.Equal(25, (await ListAsync(b, shared.Id, limit: null)).Count);

                // Another tenant's id is answered like one that does not exist, and nothing is deleted.
                var missing = (await a.ApiDeleteAsync($"connection/{idsB[0]}")).Expect(HttpStatusCode.NotFound);
                Assert.Equal(WithoutTraceId(missing), WithoutTraceId((await a.ApiDeleteAsync("connection/no-such-connection")).Expect(HttpStatusCode.NotFound)));
                Assert.Equal("application/problem+json", missing.ContentType);
                (await b.ApiDeleteAsync($"connection/{idsA[0]}")).Expect(HttpStatusCode.NotFound);
                (await a.ApiDeleteAsync($"connection/{idsA[0]}")).Expect(HttpStatusCode.NoContent);
                idsA.RemoveAt(0);
                Assert.Equal(24, (await ListAsync(a, shared.Id, limit: 10)).Count);
                Assert.Equal(25, (await ListAsync(b, shared.Id, limit: 10)).Count);

                // A's requests carry A's key, a project key of the shared project: another project is out of its reach,
                // while B's (the global key) reaches it.
                (await a.ApiGetAsync($"connections?projectId={elsewhere.Id}")).Expect(HttpStatusCode.NotFound);
                (await b.ApiGetAsync($"connections?projectId={elsewhere.Id}")).Expect(HttpStatusCode.OK);

                // On disk the key is ciphertext only.
                var disk = sample.EverythingOnDisk();
                Assert.True(disk.Length > 0);
                Assert.Equal(-1, disk.AsSpan().IndexOf(Encoding.UTF8.GetBytes(keyA)));
                Assert.Equal(-1, disk.AsSpan().IndexOf(Encoding.Unicode.GetBytes(keyA)));
            }

            // After a restart the stored key still decrypts and is still A's own (the global key would reach elsewhere).
            await using (var restarted = await SampleHost.StartAsync(server, globalKey: PlugboardServer.AdminKey, dataDir))
            {
                var a = restarted.As(tenantA);
                Assert.Equal(idsA.Order(), (await ListAsync(a, shared.Id, limit: 10)).Select(c => c.GetProperty("id").GetString()!).Order());
                (await a.ApiGetAsync($"connections?projectId={elsewhere.Id}")).Expect(HttpStatusCode.NotFound);
            }
        }
        finally
        {
            SampleHost.DeleteDataDir(dataDir);
        }
    }

    [Fact]
    public async Task Connection_UpsertTwiceForOneOrganization_OneConnectionWithTheSeedsExternalIdAndMetadata()
    {
        var server = await servers.SqliteAsync();
        var project = await server.NewProjectAsync();
        await using var sample = await SampleHost.StartAsync(server, globalKey: PlugboardServer.AdminKey);
        var tenant = NewTenant("tc");
        var http = sample.As(tenant);

        var first = (await http.ApiPostAsync("connection", new { accessToken = "gauzy-token-1", projectId = project.Id, organizationId = "org1" })).Expect(HttpStatusCode.OK);
        var second = (await http.ApiPostAsync("connection", new { accessToken = "gauzy-token-2", projectId = project.Id, organizationId = "org1" })).Expect(HttpStatusCode.OK);

        Assert.Equal(first.Str("id"), second.Str("id"));
        Assert.Equal($"gauzy-tenant-{tenant}-org-org1", second.Str("externalId"));
        var metadata = second.Body.GetProperty("metadata");
        Assert.Equal((tenant, "org1"), (metadata.GetProperty("tenantId").GetString(), metadata.GetProperty("organizationId").GetString()));
        Assert.True(metadata.TryGetProperty("createdAt", out _));
        Assert.True(metadata.TryGetProperty("appVersion", out _));
        Assert.DoesNotContain("gauzy-token", first.Raw + second.Raw, StringComparison.Ordinal);
        var stored = await server.Client().AppConnections.GetAsync(first.Str("id"));
        Assert.Equal((ConnectionType.SecretText, "ever-gauzy"), (stored.Type, stored.PieceName));
    }

    [Fact]
    public async Task Setup_KeyPlugboardRefuses_Is400AndTheTenantKeepsTheGlobalKey()
    {
        var server = await servers.SqliteAsync();
        var project = await server.NewProjectAsync();
        await using var sample = await SampleHost.StartAsync(server, globalKey: PlugboardServer.AdminKey);
        var http = sample.As(NewTenant("td"));

        var refused = (await http.ApiPostAsync("setup", new { apiKey = "sk-not-a-key-plugboard-knows", organizationId = "o" })).Expect(HttpStatusCode.BadRequest);

        Assert.Equal("application/problem+json", refused.ContentType);
        Assert.Equal("apiKey", refused.Str("field"));
        (await http.ApiGetAsync($"connections?projectId={project.Id}")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AnyRoute_NoOwnKeyAndNoGlobalKey_Is503PlugboardApiKeyNotConfigured()
    {
        var server = await servers.SqliteAsync();
        var project = await server.NewProjectAsync();
        await using var sample = await SampleHost.StartAsync(server, globalKey: null);
        var http = sample.As(NewTenant("te"));

        foreach (var answer in new[]
        {
            await http.ApiGetAsync($"connections?projectId={project.Id}"),
            await http.ApiPostAsync("connection", new { accessToken = "t", projectId = project.Id }),
            await http.ApiPostAsync("mcp", new { name = "agent", projectId = project.Id }),
        })
        {
            answer.Expect(HttpStatusCode.ServiceUnavailable);
            Assert.Equal("application/problem+json", answer.ContentType);
            Assert.Equal(NotConfigured, answer.Str("title"));
            Assert.StartsWith(NotConfigured, answer.Str("detail"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnyRoute_WithoutATenant_Is401()
    {
        var server = await servers.SqliteAsync();
        await using var sample = await SampleHost.StartAsync(server, globalKey: PlugboardServer.AdminKey);

        (await sample.Anonymous().ApiGetAsync("connections")).Expect(HttpStatusCode.Unauthorized);
        (await sample.Anonymous().ApiGetAsync("mcp")).Expect(HttpStatusCode.Unauthorized);
        var badTenant = sample.As("x-org-y");
        (await badTenant.ApiGetAsync("connections")).Expect(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task McpServers_NoAnswerCarriesATokenAndEachTenantReachesOnlyItsOwn()
    {
        var server = await servers.SqliteAsync();
        var shared = await server.NewProjectAsync();
        var keyA = await server.CreateProjectKeyAsync(shared.Id);
        await using var sample = await SampleHost.StartAsync(server, globalKey: PlugboardServer.AdminKey);
        var (tenantA, tenantB) = (NewTenant("ta"), NewTenant("tb"));
        var (a, b) = (sample.As(tenantA), sample.As(tenantB));
        (await a.ApiPostAsync("setup", new { apiKey = keyA, organizationId = "o1" })).Expect(HttpStatusCode.OK);
        var connectionA = (await a.ApiPostAsync("connection", new { accessToken = "xoxa", projectId = shared.Id, organizationId = "o1" })).Expect(HttpStatusCode.OK).Str("externalId");
        var connectionB = (await b.ApiPostAsync("connection", new { accessToken = "xoxb", projectId = shared.Id, organizationId = "o1" })).Expect(HttpStatusCode.OK).Str("externalId");
        var answers = new List<SampleAnswer>();
        SampleAnswer Seen(SampleAnswer answer)
        {
            answers.Add(answer);
            return answer;
        }

        var serverA = Seen((await a.ApiPostAsync("mcp", new { name = "A's agent", projectId = shared.Id })).Expect(HttpStatusCode.Created)).Str("id");
        var serverB = Seen((await b.ApiPostAsync("mcp", new { name = "B's agent", projectId = shared.Id })).Expect(HttpStatusCode.Created)).Str("id");
        // Made in Plugboard directly: in the project, reachable by the global key, yet nobody's in the sample.
        var direct = (await server.Client().McpServers.CreateAsync(new CreateMcpServerRequest { Name = "direct", ProjectId = shared.Id })).Id;

        var listedA = Seen((await a.ApiGetAsync($"mcp?projectId={shared.Id}")).Expect(HttpStatusCode.OK));
        var listedB = Seen((await b.ApiGetAsync("mcp")).Expect(HttpStatusCode.OK));
        Assert.Equal([serverA], listedA.Body.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Equal([serverB], listedB.Body.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Seen((await a.ApiGetAsync($"mcp/{serverA}")).Expect(HttpStatusCode.OK));

        var tool = new
        {
            type = "PIECE",
            toolName = "gauzy_api",
            pieceMetadata = new { pieceName = "ever-gauzy", pieceVersion = "0.1.0", actionName = "custom_api_call", actionDisplayName = "Custom API call", connectionExternalId = connectionA },
        };
        var updated = Seen((await a.ApiPatchAsync($"mcp/{serverA}", new { name = "Renamed", tools = new[] { tool } })).Expect(HttpStatusCode.OK));
        Assert.Equal("Renamed", updated.Str("name"));
        Assert.Equal(connectionA, updated.Body.GetProperty("tools")[0].GetProperty("pieceMetadata").GetProperty("connectionExternalId").GetString());
        var borrowed = (await a.ApiPatchAsync($"mcp/{serverA}", new { tools = new[] { tool with { pieceMetadata = tool.pieceMetadata with { connectionExternalId = connectionB } } } }))
            .Expect(HttpStatusCode.BadRequest);
        Assert.Equal("tools[0].pieceMetadata.connectionExternalId", borrowed.Str("field"));
        Seen((await a.ApiPostAsync($"mcp/{serverA}/rotate", new { })).Expect(HttpStatusCode.OK));

        foreach (var (caller, other) in new[] { (a, serverB), (b, serverA), (a, direct), (b, direct) })
        {
            (await caller.ApiGetAsync($"mcp/{other}")).Expect(HttpStatusCode.NotFound);
            (await caller.ApiPatchAsync($"mcp/{other}", new { name = "taken" })).Expect(HttpStatusCode.NotFound);
            (await caller.ApiPostAsync($"mcp/{other}/rotate", new { })).Expect(HttpStatusCode.NotFound);
            (await caller.ApiDeleteAsync($"mcp/{other}")).Expect(HttpStatusCode.NotFound);
        }
        Assert.Equal("B's agent", (await server.Client().McpServers.GetAsync(serverB)).Name);

        Assert.All(answers, answer => AssertNoToken(answer.Body));
        Assert.All(answers, answer => Assert.DoesNotContain("mcp_", answer.Raw, StringComparison.Ordinal));

        (await b.ApiDeleteAsync($"mcp/{serverB}")).Expect(HttpStatusCode.NoContent);
        (await b.ApiGetAsync($"mcp/{serverB}")).Expect(HttpStatusCode.NotFound);
        await Assert.ThrowsAsync<PlugboardApiException>(() => server.Client().McpServers.GetAsync(serverB));
    }

    private static string WithoutTraceId(SampleAnswer answer) =>
        string.Join(",", answer.Body.EnumerateObject().Where(p => p.Name != "traceId").Select(p => $"{p.Name}={p.Value.GetRawText()}"));

    private static void AssertNoToken(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Assert.False(property.Name.Equals("token", StringComparison.OrdinalIgnoreCase), $"A 'token' field was returned: {element}");
                    AssertNoToken(property.Value);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    AssertNoToken(item);
                }
                break;
        }
    }

    private static async Task<List<string>> CreateConnectionsAsync(HttpClient http, string projectId, int count, string tokenPrefix)
    {
        var ids = new List<string>();
        foreach (var batch in Enumerable.Range(0, count).Chunk(5))
        {
            var answers = await Task.WhenAll(batch.Select(i =>
                http.ApiPostAsync("connection", new { accessToken = tokenPrefix + i, projectId, organizationId = $"org-{i:D2}" })));
            ids.AddRange(answers.Select(answer => answer.Expect(HttpStatusCode.OK).Str("id")));
        }
        return ids;
    }

    private static async Task<List<JsonElement>> ListAsync(HttpClient http, string projectId, int? limit)
    {
        var answer = (await http.ApiGetAsync($"connections?projectId={projectId}" + (limit is null ? "" : $"&limit={limit}"))).Expect(HttpStatusCode.OK);
        return answer.Body.GetProperty("data").EnumerateArray().ToList();
    }
}
