using System.Net;
using Plugboard.Client.Tests.Infrastructure;

namespace Plugboard.Client.Tests.Resilience;

/// The standard resilience pipeline of AddPlugboardClient, against injected faults on a real proxy: which
/// calls are sent again, and which never are.
public sealed class RetryTests(Servers servers)
{
    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task Get_TransientFailuresThenSuccess_Retried(HttpStatusCode status)
    {
        var server = await servers.SqliteAsync();
        await using var proxy = await FaultProxy.StartAsync(server.BaseAddress);
        var project = await server.NewProjectAsync();
        var client = server.Client(baseAddress: proxy.BaseAddress);
        proxy.Fail(2, status);

        var read = await client.Projects.GetAsync(project.Id);

        Assert.Equal(project.Id, read.Id);
        Assert.Equal(3, proxy.Count("GET", "/api/v1/projects/"));
    }

    [Fact]
    public async Task Get_429WithRetryAfter_WaitsThatLongBeforeTheNextAttempt()
    {
        var server = await servers.SqliteAsync();
        await using var proxy = await FaultProxy.StartAsync(server.BaseAddress);
        var project = await server.NewProjectAsync();
        var client = server.Client(baseAddress: proxy.BaseAddress);
        proxy.Fail(1, HttpStatusCode.TooManyRequests, retryAfter: TimeSpan.FromSeconds(2));

        await client.Projects.GetAsync(project.Id);

        var attempts = proxy.Seen.Where(s => s.PathAndQuery.StartsWith("/api/v1/projects/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, attempts.Count);
        // The tests' back-off is 50 ms: a gap of 2 s is the server's Retry-After, honoured.
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromSeconds(1.9), $"second attempt after {(attempts[1].At - attempts[0].At).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Get_FailsEveryTime_GivesUpAfterTheConfiguredAttemptsWithTheLastStatus()
    {
        var server = await servers.SqliteAsync();
        await using var proxy = await FaultProxy.StartAsync(server.BaseAddress);
        var project = await server.NewProjectAsync();
        var client = server.Client(baseAddress: proxy.BaseAddress, options: o => o.MaxRetryAttempts = 2);
        proxy.Fail(10, HttpStatusCode.ServiceUnavailable);

        var error = await Assert.ThrowsAsync<PlugboardApiException>(() => client.Projects.GetAsync(project.Id));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal("HTTP_ERROR", error.Code);
        Assert.Equal(3, proxy.Count("GET", "/api/v1/projects/"));
    }

    [Fact]
    public async Task Create_AnswerLostAfterTheServerCreated_NotSentAgain()
    {
        var server = await servers.SqliteAsync();
        await using var proxy = await FaultProxy.StartAsync(server.BaseAddress);
        var client = server.Client(baseAddress: proxy.BaseAddress);
        var externalId = "lost-" + Guid.NewGuid().ToString("N");
        proxy.Fail(1, HttpStatusCode.ServiceUnavailable, afterForwarding: true);

        var error = await Assert.ThrowsAsync<PlugboardApiException>(() =>
            client.Projects.CreateAsync(new CreateProjectRequest { DisplayName = "Lost answer", ExternalId = externalId }));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(1, proxy.Count("POST", "/api/v1/projects"));
        var created = await server.Client().Projects.ListAsync(new ProjectQuery { ExternalId = externalId });
        Assert.Single(created.Data);
    }

    [Fact]
    public async Task Upsert_AnswerLostAfterTheServerWrote_RetriedAndStillOneConnection()
    {
        var server = await servers.SqliteAsync();
        await using var proxy = await FaultProxy.StartAsync(server.BaseAddress);
        var project = await server.NewProjectAsync();
        var client = server.Client(baseAddress: proxy.BaseAddress);
        proxy.Fail(1, HttpStatusCode.ServiceUnavailable, afterForwarding: true);

        var connection = await client.AppConnections.UpsertAsync(new UpsertAppConnectionRequest
        {
            ProjectId = project.Id,
            ExternalId = "retried-upsert",
            DisplayName = "Retried",
            PieceName = "@activepieces/piece-slack",
            Value = new SecretTextValue("xoxb-retried"),
        });

        Assert.Equal(2, proxy.Count("POST", "/api/v1/app-connections"));
        var all = await server.Client().AppConnections.ListAllAsync(new AppConnectionQuery { ProjectId = project.Id }).ToListAsync();
        Assert.Equal(connection.Id, Assert.Single(all).Id);
    }

    [Fact]
    public async Task GlobalUpsertWithoutExternalId_TransientFailure_NotSentAgain()
    {
        var server = await servers.SqliteAsync();
        await using var proxy = await FaultProxy.StartAsync(server.BaseAddress);
        var client = server.Client(baseAddress: proxy.BaseAddress);
        proxy.Fail(1, HttpStatusCode.ServiceUnavailable);

        await Assert.ThrowsAsync<PlugboardApiException>(() => client.GlobalConnections.UpsertAsync(new UpsertGlobalConnectionRequest
        {
            DisplayName = "No externalId",
            PieceName = "@activepieces/piece-slack",
            Value = new SecretTextValue("xoxb-global"),
        }));

        Assert.Equal(1, proxy.Count("POST", "/api/v1/global-connections"));
    }

    [Fact]
    public async Task Delete_TransientFailure_RetriedAndDeleted()
    {
        var server = await servers.SqliteAsync();
        await using var proxy = await FaultProxy.StartAsync(server.BaseAddress);
        var project = await server.NewProjectAsync();
        var client = server.Client(baseAddress: proxy.BaseAddress);
        proxy.Fail(1, HttpStatusCode.GatewayTimeout);

        await client.Projects.DeleteAsync(project.Id);

        Assert.Equal(2, proxy.Count("DELETE", "/api/v1/projects/"));
        await Assert.ThrowsAsync<PlugboardApiException>(() => server.Client().Projects.GetAsync(project.Id));
    }
}
