using Plugboard.Client.Tests.Infrastructure;

namespace Plugboard.Client.Tests.Errors;

public sealed class CancellationTests(Servers servers)
{
    [Fact]
    public async Task Call_CancelledWhileTheServerIsSlow_ThrowsOperationCanceledWithoutRetrying()
    {
        var server = await servers.SqliteAsync();
        await using var proxy = await FaultProxy.StartAsync(server.BaseAddress);
        var client = server.Client(baseAddress: proxy.BaseAddress);
        proxy.Hold(TimeSpan.FromSeconds(30));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.Projects.ListAsync(cancellationToken: cancel.Token));

        Assert.Single(proxy.Seen);
    }

    [Fact]
    public async Task ListAllAsync_CancelledBetweenPages_StopsBeforeTheNextPage()
    {
        var server = await servers.SqliteAsync();
        await using var proxy = await FaultProxy.StartAsync(server.BaseAddress);
        var project = await server.NewProjectAsync();
        for (var i = 0; i < 5; i++)
        {
            await server.Client().AppConnections.UpsertAsync(new UpsertAppConnectionRequest
            {
                ProjectId = project.Id,
                ExternalId = $"c{i}",
                DisplayName = $"C {i}",
                PieceName = "@activepieces/piece-slack",
                Value = new SecretTextValue("xoxb"),
            });
        }
        var client = server.Client(baseAddress: proxy.BaseAddress);
        using var cancel = new CancellationTokenSource();
        var read = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in client.AppConnections.ListAllAsync(new AppConnectionQuery { ProjectId = project.Id, Limit = 2 }, cancel.Token))
            {
                if (++read == 2)
                {
                    await cancel.CancelAsync();
                }
            }
        });

        Assert.Equal(2, read);
        Assert.Single(proxy.Seen);
    }
}
