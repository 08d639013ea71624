using System.Net;
using System.Security.Cryptography;
using Plugboard.Client.Tests.Infrastructure;

namespace Plugboard.Client.Tests.SigningKeys;

public sealed class SigningKeysClientTests(Servers servers)
{
    [Fact]
    public async Task CreateAsync_Generated_ItsTokensExchangeForASessionThatListsTheProjectsConnections()
    {
        var server = await servers.SqliteAsync();
        var client = server.Client();
        var project = await server.NewProjectAsync();
        var connection = await client.AppConnections.UpsertAsync(new UpsertAppConnectionRequest
        {
            ProjectId = project.Id,
            ExternalId = "slack",
            DisplayName = "Slack",
            PieceName = "@activepieces/piece-slack",
            Value = new SecretTextValue("xoxb-embedded"),
        });

        var key = await client.SigningKeys.CreateAsync(new CreateSigningKeyRequest { DisplayName = "SaaS backend" });
        var jwt = ExternalJwt.Mint(key.PrivateKey!, key.Id, "user-" + Guid.NewGuid().ToString("N"), project.ExternalId!);
        // The front end's backend may hold no API key at all: the exchange needs none.
        var session = await server.Client(globalKey: null).ManagedAuthn.ExchangeExternalTokenAsync(jwt);
        var seen = await client.WithKey(session.Token).AppConnections.ListAsync();

        Assert.Equal(SigningKeyAlgorithm.Rs256, key.Algorithm);
        Assert.Contains("BEGIN PUBLIC KEY", key.PublicKey, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE", key.ToString(), StringComparison.Ordinal);
        Assert.Equal(project.Id, session.ProjectId);
        Assert.Equal(ProjectRole.Editor, session.ProjectRole);
        Assert.DoesNotContain(session.Token, session.ToString(), StringComparison.Ordinal);
        Assert.Contains(seen.Data, c => c.Id == connection.Id);

        await client.SigningKeys.DeleteAsync(key.Id);

        var refused = await Assert.ThrowsAsync<PlugboardApiException>(() => client.ManagedAuthn.ExchangeExternalTokenAsync(jwt));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("AUTHENTICATION", refused.Code);
    }

    [Fact]
    public async Task ListAllAsync_ARegisteredAndAGeneratedKey_BothFoundAcrossPagesUntilDeleted()
    {
        var server = await servers.SqliteAsync();
        var client = server.Client();
        using var rsa = RSA.Create(2048);
        var issuer = "https://saas-" + Guid.NewGuid().ToString("N")[..8] + ".example.com";

        var registered = await client.SigningKeys.CreateAsync(new CreateSigningKeyRequest
        {
            DisplayName = "Own key", PublicKey = rsa.ExportSubjectPublicKeyInfoPem(), Issuer = issuer, Audience = "plugboard",
        });
        var generated = await client.SigningKeys.CreateAsync(new CreateSigningKeyRequest { DisplayName = "Generated" });
        var firstPage = await client.SigningKeys.ListAsync(new SigningKeyQuery { Limit = 1 });
        var all = await client.SigningKeys.ListAllAsync(new SigningKeyQuery { Limit = 1 }).ToListAsync();

        Assert.Null(registered.PrivateKey);
        Assert.NotNull(generated.PrivateKey);
        Assert.Single(firstPage.Data);
        Assert.NotNull(firstPage.Next);
        var own = Assert.Single(all, k => k.Id == registered.Id);
        Assert.Equal((issuer, "plugboard"), (own.Issuer, own.Audience));
        Assert.Contains(all, k => k.Id == generated.Id);

        await client.SigningKeys.DeleteAsync(registered.Id);
        await client.SigningKeys.DeleteAsync(generated.Id);

        var after = await client.SigningKeys.ListAllAsync(new SigningKeyQuery { Limit = 100 }).ToListAsync();
        Assert.DoesNotContain(after, k => k.Id == registered.Id || k.Id == generated.Id);
        var gone = await Assert.ThrowsAsync<PlugboardApiException>(() => client.SigningKeys.DeleteAsync(generated.Id));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }
}
