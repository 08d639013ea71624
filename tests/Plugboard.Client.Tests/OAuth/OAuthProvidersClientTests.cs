using System.Net;
using Plugboard.Client.Tests.Infrastructure;

namespace Plugboard.Client.Tests.OAuth;

public sealed class OAuthProvidersClientTests(Servers servers)
{
    [Fact]
    public async Task UpsertListDelete_ThePlatformsEntryRoundTripsBesideTheBuiltInOnes()
    {
        var client = (await servers.SqliteAsync()).Client();
        var name = "idp-" + Guid.NewGuid().ToString("N")[..10];
        var provider = new OAuthProvider
        {
            Name = name,
            DisplayName = "Identity provider",
            AuthorizeUrl = "https://{tenant}.idp.example.com/authorize",
            TokenUrl = "https://{tenant}.idp.example.com/token",
            ApiBaseUrl = "https://api.idp.example.com",
            Scopes = ["read", "write"],
            ScopeSeparator = ",",
            Pkce = true,
            PkceMethod = OAuthPkceMethod.Plain,
            ClientAuthMethod = OAuthClientAuthMethod.Header,
            AuthorizeParams = new Dictionary<string, string> { ["prompt"] = "consent" },
            TokenParams = new Dictionary<string, string> { ["audience"] = "api" },
            DefaultProps = new Dictionary<string, string> { ["tenant"] = "common" },
            DefaultTokenLifetimeSeconds = 600,
            Pieces = ["@acme/piece-idp"],
            Docs = "https://docs.idp.example.com",
        };

        var created = await client.OAuthProviders.UpsertAsync(provider);
        var replaced = await client.OAuthProviders.UpsertAsync(provider with { DisplayName = "Renamed", DefaultTokenLifetimeSeconds = null });
        var listed = await client.OAuthProviders.ListAsync();

        Assert.Equal(OAuthProviderSource.Platform, created.Source);
        Assert.Equal((OAuthPkceMethod.Plain, OAuthClientAuthMethod.Header, 600), (created.Provider.PkceMethod, created.Provider.ClientAuthMethod, created.Provider.LifetimeSeconds));
        Assert.Equal(["read", "write"], created.Provider.Scopes!);
        Assert.Equal("common", created.Provider.DefaultProps!["tenant"]);
        Assert.Equal(("Renamed", 3600), (replaced.Provider.DisplayName, replaced.Provider.LifetimeSeconds));
        var entry = Assert.Single(listed, p => p.Provider.Name == name);
        Assert.Equal((OAuthProviderSource.Platform, "Renamed", "https://api.idp.example.com"), (entry.Source, entry.Provider.DisplayName, entry.Provider.ApiBaseUrl));
        Assert.Contains(listed, p => p.Source == OAuthProviderSource.BuiltIn);

        await client.OAuthProviders.DeleteAsync(name);

        Assert.DoesNotContain(await client.OAuthProviders.ListAsync(), p => p.Provider.Name == name);
        var twice = await Assert.ThrowsAsync<PlugboardApiException>(() => client.OAuthProviders.DeleteAsync(name));
        Assert.Equal((HttpStatusCode.NotFound, "ENTITY_NOT_FOUND"), (twice.StatusCode, twice.Code));
    }

    [Theory]
    [InlineData("Upper", "https://idp.example.com/token", "name")]
    [InlineData("idp-ok", "ftp://idp.example.com/token", "tokenUrl")]
    public async Task Upsert_BadEntry_Is400ValidationNamingTheField(string name, string tokenUrl, string field)
    {
        var client = (await servers.SqliteAsync()).Client();

        var error = await Assert.ThrowsAsync<PlugboardApiException>(() => client.OAuthProviders.UpsertAsync(new OAuthProvider { Name = name, TokenUrl = tokenUrl }));

        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION", field), (error.StatusCode, error.Code, error.Params["field"].GetString()));
    }
}
