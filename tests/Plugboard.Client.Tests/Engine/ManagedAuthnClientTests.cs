using System.Net;
using System.Security.Cryptography;
using Plugboard.Client.Tests.Infrastructure;
using Plugboard.Client.Tests.SigningKeys;

namespace Plugboard.Client.Tests.Engine;

public sealed class ManagedAuthnClientTests(Servers servers)
{
    [Fact]
    public async Task ExchangeExternalTokenAsync_NewOrganization_ProvisionsTheProjectAndTheSessionWorksWithWithKey()
    {
        var server = await servers.SqliteAsync();
        var client = server.Client();
        var signing = await client.SigningKeys.CreateAsync(new CreateSigningKeyRequest { DisplayName = "SaaS" });
        var (user, org) = ("user-" + Guid.NewGuid().ToString("N"), "org-" + Guid.NewGuid().ToString("N"));

        var session = await server.Client(globalKey: null).ManagedAuthn
            .ExchangeExternalTokenAsync(new ExternalTokenRequest { ExternalAccessToken = ExternalJwt.Mint(signing.PrivateKey!, signing.Id, user, org, "ADMIN") });
        var asUser = client.WithKey(session.Token);
        await asUser.AppConnections.UpsertAsync(new UpsertAppConnectionRequest
        {
            ExternalId = "own", DisplayName = "Own", PieceName = "@activepieces/piece-slack", Value = new SecretTextValue("xoxb-own"),
        });

        Assert.Equal((user, ProjectRole.Admin, "Ada"), (session.ExternalId, session.ProjectRole, session.FirstName));
        Assert.Equal(org, (await client.Projects.GetAsync(session.ProjectId)).ExternalId);
        Assert.True(session.ExpiresAt > DateTimeOffset.UtcNow);
        Assert.Contains((await asUser.AppConnections.ListAsync()).Data, c => c.ExternalId == "own");
        Assert.Contains((await client.Projects.ListMembersAsync(session.ProjectId)).Data, m => m.UserId == session.Id && m.Role == ProjectRole.Admin);
        await client.SigningKeys.DeleteAsync(signing.Id);
    }

    [Fact]
    public async Task ExchangeExternalTokenAsync_TokenSignedByAnUnregisteredKey_IsRefusedWith401()
    {
        var server = await servers.SqliteAsync();
        var signing = await server.Client().SigningKeys.CreateAsync(new CreateSigningKeyRequest { DisplayName = "SaaS" });
        using var impostor = RSA.Create(2048);
        var request = new ExternalTokenRequest { ExternalAccessToken = ExternalJwt.Mint(impostor, signing.Id, "user", "org") };

        var refused = await Assert.ThrowsAsync<PlugboardApiException>(() => server.Client(globalKey: null).ManagedAuthn.ExchangeExternalTokenAsync(request));

        Assert.Equal((HttpStatusCode.Unauthorized, "AUTHENTICATION"), (refused.StatusCode, refused.Code));
        Assert.DoesNotContain(request.ExternalAccessToken, request.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(request.ExternalAccessToken, refused.Message, StringComparison.Ordinal);
        await server.Client().SigningKeys.DeleteAsync(signing.Id);
    }
}
