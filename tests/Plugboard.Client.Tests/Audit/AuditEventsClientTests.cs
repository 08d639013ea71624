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

        Assert.Equal(["api_key.deleted", "api_key.created"], byEntity.Select(e => e.Action)); // newest first
        Assert.NotNull(firstPage.Next);
        Assert.All(byEntity, e =>
        {
            Assert.Equal(("api_key", project.Id, project.PlatformId), (e.EntityType, e.ProjectId, e.PlatformId));
            Assert.Equal("Audited", e.Details?["displayName"]?.GetValue<string>());
            Assert.DoesNotContain(key.Value, e.Details?.ToJsonString() ?? "", StringComparison.Ordinal);
        });
        Assert.Equal(byEntity[0].Id, Assert.Single(deleted.Data).Id);
        Assert.Contains(inProject, e => e.Action == "api_key.created" && e.EntityId == key.Id);
        Assert.All(inProject, e => Assert.Equal(project.Id, e.ProjectId));
    }

    [Fact]
    public async Task ListAsync_FromAndTo_SentAsUtcInstantsAndApplied()
    {
        var server = await servers.SqliteAsync();
        var client = server.Client();
        var project = await server.NewProjectAsync();
        var created = Assert.Single(await client.AuditEvents.ListAllAsync(new AuditEventQuery { ProjectId = project.Id }).ToListAsync()).Created;

        // Any offset: the client sends UTC; from is inclusive, to exclusive.
        var from = created.ToOffset(TimeSpan.FromHours(-5));
        var inside = await client.AuditEvents.ListAsync(new AuditEventQuery { ProjectId = project.Id, From = from, To = created.AddTicks(10) });
        var before = await client.AuditEvents.ListAsync(new AuditEventQuery { ProjectId = project.Id, To = created });
        var refused = await Assert.ThrowsAsync<PlugboardApiException>(() =>
            client.AuditEvents.ListAsync(new AuditEventQuery { From = created, To = created.AddMinutes(-1) }));

        Assert.Single(inside.Data);
        Assert.Empty(before.Data);
        Assert.Equal(400, (int)refused.StatusCode);
    }
}
