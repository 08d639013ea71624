using System.Net;
using Plugboard.Client.Tests.Infrastructure;
using Plugboard.Client.Tests.Samples;

namespace Plugboard.Client.Tests.Mcp;

/// The MCP servers client against the real server: every method, the token shown by create and rotate only and
/// never printed, tools that name the project's own connection.
public sealed class McpServersClientTests(Servers servers)
{
    private const string Slack = "@activepieces/piece-slack";

    private static McpTool SlackTool(string toolName, string connectionExternalId) =>
        McpTool.Piece(toolName, new McpPieceTool(Slack, "0.10.0", "custom_api_call", "Custom API call", connectionExternalId));

    private static async Task<string> SlackConnectionAsync(PlugboardClient client, string projectId)
    {
        var externalId = "mcp-conn-" + Guid.NewGuid().ToString("N")[..8];
        await client.AppConnections.UpsertAsync(new UpsertAppConnectionRequest
        {
            ProjectId = projectId,
            ExternalId = externalId,
            DisplayName = "Slack bot",
            PieceName = Slack,
            Value = new SecretTextValue("xoxb-mcp-test"),
        });
        return externalId;
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Lifecycle_CreateGetUpdateRotateDelete_TokenOnlyFromCreateAndRotate(string engine)
    {
        var server = await servers.OnAsync(engine);
        var client = server.Client();
        var project = await server.NewProjectAsync();
        var connection = await SlackConnectionAsync(client, project.Id);

        var created = await client.McpServers.CreateAsync(new CreateMcpServerRequest { Name = "Support agent", ProjectId = project.Id });
        Assert.StartsWith("mcp_", created.Token, StringComparison.Ordinal);
        Assert.Equal(project.Id, created.ProjectId);
        Assert.Empty(created.Tools);
        Assert.DoesNotContain(created.Token, created.ToString(), StringComparison.Ordinal);
        Assert.Equal(created.Id, created.WithoutToken().Id);

        var read = await client.McpServers.GetAsync(created.Id);
        Assert.Equal(("Support agent", created.ExternalId), (read.Name, read.ExternalId));

        var updated = await client.McpServers.UpdateAsync(created.Id, new UpdateMcpServerRequest
        {
            Name = "Renamed",
            Tools = [SlackTool("slack_api", connection)],
        });
        Assert.Equal("Renamed", updated.Name);
        var tool = Assert.Single(updated.Tools);
        Assert.Equal((McpTool.PieceType, "slack_api"), (tool.Type, tool.ToolName));
        Assert.Equal(connection, (await client.McpServers.GetAsync(created.Id)).Tools.Single().PieceMetadata?.ConnectionExternalId);

        var renamedOnly = await client.McpServers.UpdateAsync(created.Id, new UpdateMcpServerRequest { Name = "Renamed again" });
        Assert.Single(renamedOnly.Tools);

        var rotated = await client.McpServers.RotateTokenAsync(created.Id);
        Assert.StartsWith("mcp_", rotated.Token, StringComparison.Ordinal);
        Assert.NotEqual(created.Token, rotated.Token);
        Assert.Equal(created.Id, rotated.Id);
        Assert.DoesNotContain(rotated.Token, rotated.ToString(), StringComparison.Ordinal);

        await client.McpServers.DeleteAsync(created.Id);
        var gone = await Assert.ThrowsAsync<PlugboardApiException>(() => client.McpServers.GetAsync(created.Id));
        Assert.Equal((HttpStatusCode.NotFound, "ENTITY_NOT_FOUND"), (gone.StatusCode, gone.Code));
        var again = await Assert.ThrowsAsync<PlugboardApiException>(() => client.McpServers.DeleteAsync(created.Id));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task ListAsync_NameFilterAndListAllAsync_EveryServerOfTheProjectAcrossPages()
    {
        var server = await servers.SqliteAsync();
        var client = server.Client();
        var project = await server.NewProjectAsync();
        var other = await server.NewProjectAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await client.McpServers.CreateAsync(new CreateMcpServerRequest { Name = $"agent {i}", ProjectId = project.Id })).Id);
        }
        await client.McpServers.CreateAsync(new CreateMcpServerRequest { Name = "agent 0", ProjectId = other.Id });

        var firstPage = await client.McpServers.ListAsync(new McpServerQuery { ProjectId = project.Id, Limit = 2 });
        var all = await client.McpServers.ListAllAsync(new McpServerQuery { ProjectId = project.Id, Limit = 2 }).ToListAsync();
        var named = await client.McpServers.ListAsync(new McpServerQuery { ProjectId = project.Id, Name = "agent 3" });

        Assert.Equal(2, firstPage.Data.Count);
        Assert.NotNull(firstPage.Next);
        Assert.Equal(ids.Order(), all.Select(s => s.Id).Order());
        Assert.Equal(ids[3], Assert.Single(named.Data).Id);
    }

    [Fact]
    public async Task UpdateAsync_ToolNamingAnotherProjectsConnection_Is400AndChangesNothing()
    {
        var server = await servers.SqliteAsync();
        var client = server.Client();
        var (project, other) = (await server.NewProjectAsync(), await server.NewProjectAsync());
        var theirs = await SlackConnectionAsync(client, other.Id);
        var created = await client.McpServers.CreateAsync(new CreateMcpServerRequest { Name = "agent", ProjectId = project.Id });

        var refused = await Assert.ThrowsAsync<PlugboardApiException>(() =>
            client.McpServers.UpdateAsync(created.Id, new UpdateMcpServerRequest { Tools = [SlackTool("call", theirs)] }));

        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION"), (refused.StatusCode, refused.Code));
        Assert.Empty((await client.McpServers.GetAsync(created.Id)).Tools);
    }

    [Fact]
    public async Task GetAsync_ProjectKeyOfAnotherProject_Is404()
    {
        var server = await servers.SqliteAsync();
        var client = server.Client();
        var (project, other) = (await server.NewProjectAsync(), await server.NewProjectAsync());
        var created = await client.McpServers.CreateAsync(new CreateMcpServerRequest { Name = "agent", ProjectId = project.Id });
        var otherKey = await server.CreateProjectKeyAsync(other.Id);

        var hidden = await Assert.ThrowsAsync<PlugboardApiException>(() => client.WithKey(otherKey).McpServers.GetAsync(created.Id));

        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }
}
