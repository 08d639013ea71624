using System.Net;
using Plugboard.Client.Tests.Infrastructure;

namespace Plugboard.Client.Tests.ApiKeys;

public sealed class ApiKeysClientTests(Servers servers)
{
    [Fact]
    public async Task CreateAsync_ProjectKey_WorksWithWithKeyUntilDeletedThenIsRefused()
    {
        var server = await servers.SqliteAsync();
        var client = server.Client();
        var project = await server.NewProjectAsync();

        var created = await client.ApiKeys.CreateAsync(new CreateApiKeyRequest { DisplayName = "Tenant key", ProjectId = project.Id });
        var asProject = client.WithKey(created.Value);
        var page = await asProject.AppConnections.ListAsync();

        Assert.Equal(project.Id, created.ProjectId);
        Assert.Equal("Tenant key", created.DisplayName);
        Assert.Empty(page.Data);
        Assert.DoesNotContain(created.Value, created.ToString(), StringComparison.Ordinal);
        Assert.Contains(created.Id, created.ToString(), StringComparison.Ordinal);

        await client.ApiKeys.DeleteAsync(created.Id);

        var refused = await Assert.ThrowsAsync<PlugboardApiException>(() => asProject.AppConnections.ListAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("AUTHENTICATION", refused.Code);
        var again = await Assert.ThrowsAsync<PlugboardApiException>(() => client.ApiKeys.DeleteAsync(created.Id));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task ListAllAsync_TwoNewKeys_BothFoundAcrossPagesWithoutTheirValues()
    {
        var server = await servers.SqliteAsync();
        var client = server.Client();
        var name = "listed-" + Guid.NewGuid().ToString("N")[..8];
        var platformKey = await client.ApiKeys.CreateAsync(new CreateApiKeyRequest { DisplayName = name + "-platform" });
        var projectKey = await client.ApiKeys.CreateAsync(new CreateApiKeyRequest { DisplayName = name + "-project", ProjectId = (await server.NewProjectAsync()).Id });

        var firstPage = await client.ApiKeys.ListAsync(new ApiKeyQuery { Limit = 1 });
        var all = await client.ApiKeys.ListAllAsync(new ApiKeyQuery { Limit = 1 }).ToListAsync();

        Assert.Single(firstPage.Data);
        Assert.NotNull(firstPage.Next);
        Assert.Equal(all.Count, all.Select(k => k.Id).Distinct().Count());
        var listed = all.Where(k => k.DisplayName.StartsWith(name, StringComparison.Ordinal)).ToDictionary(k => k.Id);
        Assert.Equal(2, listed.Count);
        Assert.Null(listed[platformKey.Id].ProjectId);
        Assert.Equal(projectKey.ProjectId, listed[projectKey.Id].ProjectId);
        Assert.EndsWith(listed[platformKey.Id].TruncatedValue, platformKey.Value, StringComparison.Ordinal);

        await client.ApiKeys.DeleteAsync(platformKey.Id);
        await client.ApiKeys.DeleteAsync(projectKey.Id);
        var after = await client.ApiKeys.ListAllAsync(new ApiKeyQuery { Limit = 100 }).ToListAsync();
        Assert.DoesNotContain(after, k => k.Id == platformKey.Id || k.Id == projectKey.Id);
    }
}
