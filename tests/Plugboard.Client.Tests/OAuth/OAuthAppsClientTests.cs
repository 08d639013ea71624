using System.Net;
using Plugboard.Client.Tests.Infrastructure;

namespace Plugboard.Client.Tests.OAuth;

public sealed class OAuthAppsClientTests(Servers servers)
{
    [Fact]
    public async Task UpsertListDelete_RoundTripThroughTheServerAndTheSecretNeverComesBack()
    {
        var client = (await servers.SqliteAsync()).Client();
        var piece = $"@sdk-{Guid.NewGuid():N}/piece-crm";
        var request = new UpsertOAuthAppRequest { PieceName = piece, ClientId = "client-1", ClientSecret = "canary-secret-1" };

        var created = await client.OAuthApps.UpsertAsync(request);
        var rotated = await client.OAuthApps.UpsertAsync(request with { ClientSecret = "canary-secret-2" });
        await client.OAuthApps.UpsertAsync(request with { ClientId = "client-2" });
        await client.OAuthApps.UpsertAsync(request with { ClientId = "client-3" });
        var query = new OAuthAppQuery { PieceName = piece, Limit = 2 };
        var firstPage = await client.OAuthApps.ListAsync(query);
        var all = await client.OAuthApps.ListAllAsync(query).ToListAsync();

        Assert.Equal((piece, "client-1"), (created.PieceName, created.ClientId));
        Assert.Equal(created.Id, rotated.Id);
        Assert.NotNull(firstPage.Next);
        Assert.Equal(["client-1", "client-2", "client-3"], all.Select(a => a.ClientId).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("canary", request.ToString(), StringComparison.Ordinal);

        await client.OAuthApps.DeleteAsync(created.Id);

        Assert.DoesNotContain(await client.OAuthApps.ListAllAsync(query).ToListAsync(), a => a.Id == created.Id);
        var twice = await Assert.ThrowsAsync<PlugboardApiException>(() => client.OAuthApps.DeleteAsync(created.Id));
        Assert.Equal((HttpStatusCode.NotFound, "ENTITY_NOT_FOUND"), (twice.StatusCode, twice.Code));
    }

    [Fact]
    public async Task Upsert_EmptySecret_Is400ValidationNamingIt()
    {
        var client = (await servers.SqliteAsync()).Client();

        var error = await Assert.ThrowsAsync<PlugboardApiException>(() => client.OAuthApps.UpsertAsync(
            new UpsertOAuthAppRequest { PieceName = "@acme/piece-crm", ClientId = "client", ClientSecret = "" }));

        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION", "clientSecret"), (error.StatusCode, error.Code, error.Params["field"].GetString()));
    }
}
