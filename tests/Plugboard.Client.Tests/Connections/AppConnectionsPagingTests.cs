using System.Text.Json.Nodes;
using Plugboard.Client.Tests.Infrastructure;

namespace Plugboard.Client.Tests.Connections;

public sealed class AppConnectionsPagingTests(Servers servers)
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ListAllAsync_250Connections_EveryOneOnceInOrder(string engine)
    {
        var server = await servers.OnAsync(engine);
        var client = server.Client();
        var project = await server.NewProjectAsync();
        var upserts = Enumerable.Range(0, 250).Select(i => client.AppConnections.UpsertAsync(new UpsertAppConnectionRequest
        {
            ProjectId = project.Id,
            ExternalId = $"conn-{i:D3}",
            DisplayName = $"Connection {i}",
            PieceName = "@activepieces/piece-slack",
            Value = new SecretTextValue($"xoxb-{i}"),
            Metadata = new JsonObject { ["tenantId"] = i % 2 == 0 ? "even" : "odd" },
        }));
        foreach (var batch in upserts.Chunk(25))
        {
            await Task.WhenAll(batch);
        }

        var seen = await client.AppConnections.ListAllAsync(new AppConnectionQuery { ProjectId = project.Id, Limit = 40 }).ToListAsync();
        var firstPage = await client.AppConnections.ListAsync(new AppConnectionQuery { ProjectId = project.Id, Limit = 40 });

        Assert.Equal(250, seen.Count);
        Assert.Equal(250, seen.Select(c => c.ExternalId).Distinct().Count());
        Assert.Equal(firstPage.Data.Select(c => c.Id), seen.Take(40).Select(c => c.Id));
        Assert.NotNull(firstPage.Next);
        Assert.All(seen, c => Assert.Equal(ConnectionType.SecretText, c.Type));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ListAllAsync_MetadataFilter_OnlyThatTenantAcrossPages(string engine)
    {
        var server = await servers.OnAsync(engine);
        var client = server.Client();
        var project = await server.NewProjectAsync();
        for (var i = 0; i < 30; i++)
        {
            await client.AppConnections.UpsertAsync(new UpsertAppConnectionRequest
            {
                ProjectId = project.Id,
                ExternalId = $"tenant-conn-{i}",
                DisplayName = $"Connection {i}",
                PieceName = "@activepieces/piece-slack",
                Value = new SecretTextValue("xoxb-secret"),
                Metadata = new JsonObject { ["tenantId"] = i % 3 == 0 ? "t-a" : "t-b" },
            });
        }

        var tenantA = await client.AppConnections.ListAllAsync(new AppConnectionQuery
        {
            ProjectId = project.Id,
            Limit = 3,
            Metadata = new Dictionary<string, string> { ["tenantId"] = "t-a" },
        }).ToListAsync();

        Assert.Equal(10, tenantA.Count);
        Assert.All(tenantA, c => Assert.Equal("t-a", c.Metadata?["tenantId"]?.GetValue<string>()));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task UpsertAsync_SameExternalIdTwice_UpdatesTheSameConnection(string engine)
    {
        var server = await servers.OnAsync(engine);
        var client = server.Client();
        var project = await server.NewProjectAsync();
        UpsertAppConnectionRequest Request(string name) => new()
        {
            ProjectId = project.Id,
            ExternalId = "same",
            DisplayName = name,
            PieceName = "@activepieces/piece-slack",
            Value = new SecretTextValue("xoxb-1"),
        };

        var first = await client.AppConnections.UpsertAsync(Request("One"));
        var second = await client.AppConnections.UpsertAsync(Request("Two"));

        Assert.Equal(first.Id, second.Id);
        Assert.Equal("Two", (await client.AppConnections.GetAsync(first.Id)).DisplayName);
    }
}
