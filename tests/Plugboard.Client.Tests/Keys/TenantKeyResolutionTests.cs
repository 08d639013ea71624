using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Plugboard.Client.Tests.Infrastructure;

namespace Plugboard.Client.Tests.Keys;

/// The two-tier rule of seed 003: the tenant's own key, else the global key, else "not configured"; and a
/// request never carries another tenant's key.
public sealed class TenantKeyResolutionTests(Servers servers)
{
    [Fact]
    public async Task ForTenant_WithItsOwnKey_SendsThatKey()
    {
        var server = await servers.SqliteAsync();
        await using var proxy = await FaultProxy.StartAsync(server.BaseAddress);
        var project = await server.NewProjectAsync();
        var store = new InMemoryTenantKeys();
        store.Keys["tenant-a"] = await server.CreateProjectKeyAsync(project.Id);
        var client = server.Client(baseAddress: proxy.BaseAddress, services: s => s.AddSingleton<ITenantApiKeyStore>(store));

        // A project key implies its project: no projectId needed.
        var page = await client.ForTenant("tenant-a").AppConnections.ListAsync();

        Assert.Empty(page.Data);
        Assert.Equal("Bearer " + store.Keys["tenant-a"], Assert.Single(proxy.Seen).Authorization);
    }

    [Fact]
    public async Task ForTenant_WithoutItsOwnKey_FallsBackToTheGlobalKey()
    {
        var server = await servers.SqliteAsync();
        await using var proxy = await FaultProxy.StartAsync(server.BaseAddress);
        var store = new InMemoryTenantKeys();
        var client = server.Client(baseAddress: proxy.BaseAddress, services: s => s.AddSingleton<ITenantApiKeyStore>(store));

        await client.ForTenant("tenant-without-key").Projects.ListAsync(new ProjectQuery { Limit = 1 });

        Assert.Equal("Bearer " + PlugboardServer.AdminKey, Assert.Single(proxy.Seen).Authorization);
        Assert.Equal(1, store.Lookups);
    }

    [Fact]
    public async Task ForTenant_NeitherOwnNorGlobalKey_ThrowsNotConfiguredAndSendsNothing()
    {
        var server = await servers.SqliteAsync();
        await using var proxy = await FaultProxy.StartAsync(server.BaseAddress);
        var client = server.Client(globalKey: null, baseAddress: proxy.BaseAddress, services: s => s.AddSingleton<ITenantApiKeyStore>(new InMemoryTenantKeys()));

        var error = await Assert.ThrowsAsync<PlugboardNotConfiguredException>(() => client.ForTenant("tenant-c").Projects.ListAsync());
        var unbound = await Assert.ThrowsAsync<PlugboardNotConfiguredException>(() => client.Projects.ListAsync());

        Assert.Equal("Plugboard API key not configured", error.Message);
        Assert.Equal("tenant-c", error.TenantId);
        Assert.Null(unbound.TenantId);
        Assert.Empty(proxy.Seen);
    }

    [Fact]
    public async Task ForTenant_KeyChangedInTheStore_NextRequestUsesTheNewKey()
    {
        var server = await servers.SqliteAsync();
        var project = await server.NewProjectAsync();
        var store = new InMemoryTenantKeys();
        var client = server.Client(services: s => s.AddSingleton<ITenantApiKeyStore>(store)).ForTenant("tenant-d");
        store.Keys["tenant-d"] = "sk-not-a-real-key";

        var refused = await Assert.ThrowsAsync<PlugboardApiException>(() => client.AppConnections.ListAsync());
        store.Keys["tenant-d"] = await server.CreateProjectKeyAsync(project.Id);
        var page = await client.AppConnections.ListAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Empty(page.Data);
    }

    [Fact]
    public async Task TwoTenantsInParallel_EachRequestCarriesOnlyItsOwnTenantsKey()
    {
        var server = await servers.SqliteAsync();
        await using var proxy = await FaultProxy.StartAsync(server.BaseAddress);
        var projectA = await server.NewProjectAsync();
        var projectB = await server.NewProjectAsync();
        var store = new InMemoryTenantKeys();
        store.Keys["a"] = await server.CreateProjectKeyAsync(projectA.Id);
        store.Keys["b"] = await server.CreateProjectKeyAsync(projectB.Id);
        var client = server.Client(globalKey: null, baseAddress: proxy.BaseAddress, services: s => s.AddSingleton<ITenantApiKeyStore>(store));
        var tenants = new Dictionary<string, (PlugboardClient Client, string ProjectId)>
        {
            ["a"] = (client.ForTenant("a"), projectA.Id),
            ["b"] = (client.ForTenant("b"), projectB.Id),
        };

        // Interleaved upserts and lists of both tenants, all at once, each naming its tenant in the externalId.
        await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            var tenant = i % 2 == 0 ? "a" : "b";
            var (tenantClient, _) = tenants[tenant];
            await tenantClient.AppConnections.UpsertAsync(new UpsertAppConnectionRequest
            {
                ExternalId = $"{tenant}-{i}",
                DisplayName = $"{tenant} {i}",
                PieceName = "@activepieces/piece-slack",
                Value = new SecretTextValue($"xoxb-{tenant}-{i}"),
            });
            await tenantClient.AppConnections.ListAsync(new AppConnectionQuery { DisplayName = tenant + " ", Limit = 5 });
        }));

        foreach (var (tenant, (tenantClient, projectId)) in tenants)
        {
            var own = await tenantClient.AppConnections.ListAllAsync().ToListAsync();
            Assert.Equal(50, own.Count);
            Assert.All(own, c => Assert.StartsWith(tenant + "-", c.ExternalId, StringComparison.Ordinal));
            Assert.All(own, c => Assert.Equal([projectId], c.ProjectIds));
        }
        // Every request of the burst: the tenant it was made for (in its body or query) and the key it carried.
        var burst = proxy.Seen.Where(s => s.Body.Contains("\"externalId\"", StringComparison.Ordinal) || s.PathAndQuery.Contains("displayName=", StringComparison.Ordinal)).ToList();
        Assert.Equal(200, burst.Count);
        Assert.All(burst, s =>
        {
            var tenant = s.Body.Contains("\"externalId\":\"a-", StringComparison.Ordinal) || s.PathAndQuery.Contains("displayName=a%20", StringComparison.Ordinal) ? "a" : "b";
            Assert.Equal("Bearer " + store.Keys[tenant], s.Authorization);
        });
    }
}
