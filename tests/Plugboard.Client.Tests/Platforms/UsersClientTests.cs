using System.Net;
using Plugboard.Client.Tests.Infrastructure;
using Plugboard.Client.Tests.SigningKeys;

namespace Plugboard.Client.Tests.Platforms;

/// On a platform of its own, so the users listed are exactly the ones this test signed in (and the owner).
public sealed class UsersClientTests(Servers servers)
{
    [Fact]
    public async Task ListAllAsync_ThreeEmbeddedUsers_AllAcrossPagesThenDeleteRemovesOne()
    {
        var server = await servers.SqliteAsync();
        var platform = await server.Client(globalKey: PlugboardServer.OperatorKey).Platforms
            .CreateAsync(new CreatePlatformRequest { Name = "Users " + Guid.NewGuid().ToString("N")[..8], AdminEmail = "owner@example.com" });
        var admin = server.Client(globalKey: platform.AdminApiKey);
        var signing = await admin.SigningKeys.CreateAsync(new CreateSigningKeyRequest { DisplayName = "SaaS" });
        var externalIds = new[] { "ada", "grace", "linus" };
        foreach (var externalId in externalIds)
        {
            await admin.ManagedAuthn.ExchangeExternalTokenAsync(ExternalJwt.Mint(signing.PrivateKey!, signing.Id, externalId, "org-1"));
        }

        var firstPage = await admin.Users.ListAsync(new UserQuery { Limit = 2 });
        var all = await admin.Users.ListAllAsync(new UserQuery { Limit = 2 }).ToListAsync();
        var grace = Assert.Single((await admin.Users.ListAsync(new UserQuery { ExternalId = "grace" })).Data);

        Assert.NotNull(firstPage.Next);
        Assert.Equal(externalIds, all.Where(u => u.ExternalId is not null).Select(u => u.ExternalId!).Order());
        Assert.All(all, u => Assert.Equal(platform.Id, u.PlatformId));
        Assert.Contains(all, u => u.PlatformRole == PlatformRole.Admin && u.Email == "owner@example.com");
        Assert.Equal(PlatformRole.Member, grace.PlatformRole);
        Assert.Equal(("Ada", "Lovelace"), (grace.FirstName, grace.LastName));

        await admin.Users.DeleteAsync(grace.Id);

        Assert.Empty((await admin.Users.ListAsync(new UserQuery { ExternalId = "grace" })).Data);
        Assert.Equal(all.Count - 1, (await admin.Users.ListAllAsync().ToListAsync()).Count);
        var gone = await Assert.ThrowsAsync<PlugboardApiException>(() => admin.Users.DeleteAsync(grace.Id));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task DeleteAsync_ThePlatformsOwner_IsRefused()
    {
        var server = await servers.SqliteAsync();
        var platform = await server.Client(globalKey: PlugboardServer.OperatorKey).Platforms
            .CreateAsync(new CreatePlatformRequest { Name = "Owner " + Guid.NewGuid().ToString("N")[..8], AdminEmail = "owner@example.com" });
        var admin = server.Client(globalKey: platform.AdminApiKey);
        var owner = Assert.Single(await admin.Users.ListAllAsync().ToListAsync());

        var refused = await Assert.ThrowsAsync<PlugboardApiException>(() => admin.Users.DeleteAsync(owner.Id));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("VALIDATION", refused.Code);
    }
}
