using System.Net;
using System.Text.Json.Nodes;
using Plugboard.Client.Tests.Infrastructure;

namespace Plugboard.Client.Tests.Projects;

public sealed class ProjectsClientTests(Servers servers)
{
    [Fact]
    public async Task CreateGetUpdateListDelete_RoundTripThroughTheServer()
    {
        var server = await servers.SqliteAsync();
        var client = server.Client();
        var externalId = "proj-" + Guid.NewGuid().ToString("N");

        var created = await client.Projects.CreateAsync(new CreateProjectRequest
        {
            DisplayName = "Acme",
            ExternalId = externalId,
            Metadata = new JsonObject { ["plan"] = "gold" },
        });
        Assert.Equal("Acme", created.DisplayName);
        Assert.Equal("gold", created.Metadata?["plan"]?.GetValue<string>());

        var read = await client.Projects.GetAsync(created.Id);
        Assert.Equal(created.Id, read.Id);

        var renamed = await client.Projects.UpdateAsync(created.Id, new UpdateProjectRequest { DisplayName = "Acme Inc" });
        Assert.Equal("Acme Inc", renamed.DisplayName);
        Assert.Equal(externalId, renamed.ExternalId);

        var found = await client.Projects.ListAsync(new ProjectQuery { ExternalId = externalId });
        Assert.Equal(created.Id, Assert.Single(found.Data).Id);

        await client.Projects.DeleteAsync(created.Id);
        var gone = await Assert.ThrowsAsync<PlugboardApiException>(() => client.Projects.GetAsync(created.Id));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("ENTITY_NOT_FOUND", gone.Code);
    }

    [Fact]
    public async Task ListAllAsync_FollowsCursorsThroughEveryPage()
    {
        var server = await servers.SqliteAsync();
        var client = server.Client();
        var prefix = "paged-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 7; i++)
        {
            await client.Projects.CreateAsync(new CreateProjectRequest { DisplayName = $"{prefix} {i}", ExternalId = $"{prefix}-{i}" });
        }

        var all = await client.Projects.ListAllAsync(new ProjectQuery { DisplayName = prefix, Limit = 2 }).ToListAsync();

        Assert.Equal(7, all.Count);
        Assert.Equal(7, all.Select(p => p.Id).Distinct().Count());
    }
}
