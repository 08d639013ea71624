using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Plugboard.Client.Tests.Infrastructure;

namespace Plugboard.Client.Tests.Engine;

public sealed class WorkerClientTests(Servers servers)
{
    [Fact]
    public async Task ForEngine_IssuedToken_ReadsTheConnectionWithItsValueAndTheProject()
    {
        var server = await servers.SqliteAsync();
        var client = server.Client();
        var project = await server.NewProjectAsync();
        var secret = "xoxb-" + Guid.NewGuid().ToString("N");
        await client.AppConnections.UpsertAsync(new UpsertAppConnectionRequest
        {
            ProjectId = project.Id,
            ExternalId = "slack",
            DisplayName = "Slack",
            PieceName = "@activepieces/piece-slack",
            Value = new SecretTextValue(secret),
            Metadata = new JsonObject { ["tenantId"] = "t-1" },
        });
        await client.AppConnections.UpsertAsync(new UpsertAppConnectionRequest
        {
            ProjectId = project.Id,
            ExternalId = "custom",
            DisplayName = "Custom",
            PieceName = "@acme/piece-custom",
            Value = new CustomAuthValue(new JsonObject { ["api_key"] = "custom-secret", ["region"] = "eu" }),
        });

        var token = await client.EngineTokens.IssueAsync(new IssueEngineTokenRequest { ProjectId = project.Id, TtlSeconds = 300 });
        var worker = client.ForEngine(token.Token);
        var slack = await worker.ReadConnectionAsync("slack");
        var custom = await worker.ReadConnectionAsync("custom");
        var read = await worker.ReadProjectAsync();

        Assert.DoesNotContain(token.Token, token.ToString(), StringComparison.Ordinal);
        Assert.InRange(token.ExpiresAt, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddSeconds(310));
        Assert.Equal(secret, Assert.IsType<SecretTextValue>(slack.Value).SecretText);
        Assert.Equal((ConnectionType.SecretText, ConnectionScope.Project, ConnectionStatus.Active), (slack.Type, slack.Scope, slack.Status));
        Assert.Equal([project.Id], slack.ProjectIds);
        Assert.Equal("t-1", slack.Metadata?["tenantId"]?.GetValue<string>());
        Assert.DoesNotContain(secret, slack.ToString(), StringComparison.Ordinal);
        Assert.Equal("custom-secret", Assert.IsType<CustomAuthValue>(custom.Value).Props["api_key"]?.GetValue<string>());
        Assert.Equal((project.Id, project.ExternalId, project.DisplayName), (read.Id, read.ExternalId, read.DisplayName));
    }

    [Fact]
    public async Task ReadConnectionAsync_AnotherProjectsConnectionOrABadToken_IsRefused()
    {
        var server = await servers.SqliteAsync();
        var client = server.Client();
        var (mine, theirs) = (await server.NewProjectAsync(), await server.NewProjectAsync());
        await client.AppConnections.UpsertAsync(new UpsertAppConnectionRequest
        {
            ProjectId = theirs.Id, ExternalId = "theirs", DisplayName = "Theirs", PieceName = "@activepieces/piece-slack", Value = new SecretTextValue("not-yours"),
        });
        var worker = client.ForEngine((await client.EngineTokens.IssueAsync(new IssueEngineTokenRequest { ProjectId = mine.Id })).Token);

        var notFound = await Assert.ThrowsAsync<PlugboardApiException>(() => worker.ReadConnectionAsync("theirs"));
        var badToken = await Assert.ThrowsAsync<PlugboardApiException>(() => client.ForEngine("not-an-engine-token").ReadProjectAsync());
        var unknownProject = await Assert.ThrowsAsync<PlugboardApiException>(() =>
            client.EngineTokens.IssueAsync(new IssueEngineTokenRequest { ProjectId = "no-such-project" }));

        Assert.Equal((HttpStatusCode.NotFound, "ENTITY_NOT_FOUND"), (notFound.StatusCode, notFound.Code));
        Assert.Equal(HttpStatusCode.Unauthorized, badToken.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownProject.StatusCode);
    }

    [Fact]
    public async Task ReadConnectionAsync_ValueStoredWithItsTypeLast_StillReadsAsTheUnion()
    {
        var server = await servers.SqliteAsync();
        var client = server.Client();
        var project = await server.NewProjectAsync();
        // The server keeps a value in the order its writer sent it; another client may send `type` last.
        using (var http = new HttpClient { BaseAddress = server.BaseAddress })
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PlugboardServer.AdminKey);
            using var content = new StringContent(
                $$$"""{"projectId":"{{{project.Id}}}","externalId":"basic","displayName":"Basic","pieceName":"@acme/piece-basic","type":"BASIC_AUTH","value":{"username":"ada","password":"pa55","type":"BASIC_AUTH"}}""",
                new MediaTypeHeaderValue("application/json"));
            using var created = await http.PostAsync("api/v1/app-connections", content);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var worker = client.ForEngine((await client.EngineTokens.IssueAsync(new IssueEngineTokenRequest { ProjectId = project.Id })).Token);

        var read = await worker.ReadConnectionAsync("basic");

        Assert.Equal(new BasicAuthValue("ada", "pa55"), read.Value);
    }
}
