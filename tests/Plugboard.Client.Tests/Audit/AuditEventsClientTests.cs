using Plugboard.Client.Tests.Infrastructure;

namespace Plugboard.Client.Tests.Audit;

public sealed class AuditEventsClientTests(Servers servers)
{
    [Fact]
    public async Task ListAllAsync_AKeyCreatedAndDeleted_BothEventsInOrderAcrossPagesWithoutTheKey()
    {
        var server = await servers.SqliteAsync();
        var client = server.Client();
        var project = await server.NewProjectAsync();
        var key = await client.ApiKeys.CreateAsync(new CreateApiKeyRequest { DisplayName = "Audited", ProjectId = project.Id });
        await client.ApiKeys.DeleteAsync(key.Id);

        var byEntity = await client.AuditEvents.ListAllAsync(new AuditEventQuery { EntityId = key.Id, Limit = 1 }).ToListAsync();
        var firstPage = await client.AuditEvents.ListAsync(new AuditEventQuery { EntityId = key.Id, Limit = 1 });
        var deleted = await client.AuditEvents.ListAsync(new AuditEventQuery { Action = "api_key.deleted", EntityId = key.Id });
        var inProject = await client.AuditEvents.ListAllAsync(new AuditEventQuery { ProjectId = project.Id }).ToListAsync();

        Assert.Equal(["api_key.created", "api_key.deleted"], byEntity.Select(e => e.Action));
        Assert.NotNull(firstPage.Next);
        Assert.All(byEntity, e =>
        {
            Assert.Equal(("api_key", project.Id, project.PlatformId), (e.EntityType, e.ProjectId, e.PlatformId));
            Assert.Equal("Audited", e.Details?["displayName"]?.GetValue<string>());
            Assert.DoesNotContain(key.Value, e.Details?.ToJsonString() ?? "", StringComparison.Ordinal);
        });
        Assert.Equal(byEntity[1].Id, Assert.Single(deleted.Data).Id);
        Assert.Contains(inProject, e => e.Action == "api_key.created" && e.EntityId == key.Id);
        Assert.All(inProject, e => Assert.Equal(project.Id, e.ProjectId));
    }
}
