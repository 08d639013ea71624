using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plugboard.Client.Tests.Infrastructure;

namespace Plugboard.Client.Tests.Sync;

/// Export from one platform of its own, import into another: each test's platforms hold only its items.
public sealed class SyncClientTests(Servers servers)
{
    private const string Passphrase = "correct horse battery staple";
    private const string Piece = "@acme/piece-crm";

    [Fact]
    public async Task ExportSealed_ImportedIntoAnotherPlatform_DryRunChangesNothingApplyCreatesAgainIsUnchanged()
    {
        var server = await servers.SqliteAsync();
        var (source, target) = (await server.NewPlatformAsync(), await server.NewPlatformAsync());
        var (definitionKey, secret) = await SetUpSourceAsync(source);

        var plain = await source.Sync.ExportAsync();
        var sealedBundle = await source.Sync.ExportAsync(Passphrase);

        Assert.Equal("plugboard.sync/v1", sealedBundle.Format);
        Assert.Null(plain.Sealing);
        Assert.All(plain.Items, i => Assert.Null(i.Secrets));
        Assert.NotNull(sealedBundle.Sealing);
        Assert.Contains(sealedBundle.Items, i => i.Kind == "definition" && i.Key == definitionKey && i.Secrets is not null);
        Assert.Equal(Keys(plain.Items), Keys(sealedBundle.Items));
        Assert.DoesNotContain(secret, JsonSerializer.Serialize(sealedBundle), StringComparison.Ordinal);

        var dryRun = await target.Sync.ImportAsync(sealedBundle, new SyncImportOptions { DryRun = true, Passphrase = Passphrase });
        Assert.Equal(Keys(sealedBundle.Items), Keys(dryRun.Created));
        var notYet = await Assert.ThrowsAsync<PlugboardApiException>(() => target.ConnectionDefinitions.GetAsync(definitionKey));
        Assert.Equal((HttpStatusCode.NotFound, "ENTITY_NOT_FOUND"), (notYet.StatusCode, notYet.Code));

        var applied = await target.Sync.ImportAsync(sealedBundle, new SyncImportOptions { Passphrase = Passphrase });
        var imported = await target.ConnectionDefinitions.GetAsync(definitionKey);
        var again = await target.Sync.ImportAsync(sealedBundle, new SyncImportOptions { Passphrase = Passphrase });

        Assert.Equal(Keys(sealedBundle.Items), Keys(applied.Created));
        Assert.Empty(applied.NeedsSecrets);
        Assert.Empty(applied.Conflicts);
        Assert.Equal((ConnectionStatus.Active, true), (imported.Status, imported.HasTestValue));
        Assert.Equal(["props.base_url", "props.partner_secret"], imported.GlobalValueKeys);
        Assert.Empty(again.Created);
        Assert.Empty(again.Updated);
        Assert.Equal(Keys(sealedBundle.Items), Keys(again.Unchanged));
    }

    [Fact]
    public async Task Import_WrongPassphrase_Is400NamingTheHeaderWithoutThePassphrase()
    {
        var server = await servers.SqliteAsync();
        var (source, target) = (await server.NewPlatformAsync(), await server.NewPlatformAsync());
        await SetUpSourceAsync(source);
        var sealedBundle = await source.Sync.ExportAsync(Passphrase);
        var options = new SyncImportOptions { Passphrase = "not the passphrase at all" };

        var wrong = await Assert.ThrowsAsync<PlugboardApiException>(() => target.Sync.ImportAsync(sealedBundle, options));
        var missing = await Assert.ThrowsAsync<PlugboardApiException>(() => target.Sync.ImportAsync(sealedBundle));
        var shortOne = await Assert.ThrowsAsync<PlugboardApiException>(() => source.Sync.ExportAsync("too short"));

        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION"), (wrong.StatusCode, wrong.Code));
        Assert.Equal("X-Plugboard-Sync-Passphrase", wrong.Params["field"].GetString());
        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION"), (missing.StatusCode, missing.Code));
        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION"), (shortOne.StatusCode, shortOne.Code));
        Assert.DoesNotContain("not the passphrase", wrong.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("not the passphrase", options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("too short", shortOne.ToString(), StringComparison.Ordinal);
        Assert.Empty((await target.ConnectionDefinitions.ListAsync()).Data);
    }

    [Fact]
    public async Task ImportWithoutSecrets_PruneDryRunReportsTheTargetsOwnItemDeletedAndTheDefinitionNeedsSecrets()
    {
        var server = await servers.SqliteAsync();
        var (source, target) = (await server.NewPlatformAsync(), await server.NewPlatformAsync());
        var (definitionKey, _) = await SetUpSourceAsync(source);
        var ownProvider = "own-" + Guid.NewGuid().ToString("N")[..8];
        await target.OAuthProviders.UpsertAsync(new OAuthProvider
        {
            Name = ownProvider, AuthorizeUrl = "https://own.example.com/authorize", TokenUrl = "https://own.example.com/token",
        });
        var plain = await source.Sync.ExportAsync();

        var pruneDryRun = await target.Sync.ImportAsync(plain, new SyncImportOptions { DryRun = true, Prune = true });
        var imported = await target.Sync.ImportAsync(plain);

        Assert.Equal([("oauthProvider", ownProvider)], pruneDryRun.Deleted.Select(c => (c.Kind, c.Key)));
        Assert.Contains(await target.OAuthProviders.ListAsync(), p => p.Provider.Name == ownProvider && p.Source == OAuthProviderSource.Platform);
        Assert.Contains(imported.NeedsSecrets, c => c.Kind == "definition" && c.Key == definitionKey);
        Assert.Equal(ConnectionStatus.Missing, (await target.ConnectionDefinitions.GetAsync(definitionKey)).Status);
        Assert.Empty(imported.Deleted);
    }

    /// A piece, a provider, an app and a definition with global values and a test credential: one item of every kind
    /// but global connections. Returns the definition's stable key and a secret it holds.
    private static async Task<(string DefinitionKey, string Secret)> SetUpSourceAsync(PlugboardClient source)
    {
        var u = Guid.NewGuid().ToString("N")[..10];
        var secret = "canary-" + u;
        await source.Pieces.RegisterAsync(new PieceMetadata
        {
            Name = Piece, Version = "1.0.0", DisplayName = "Acme CRM",
            Auth = [new PieceAuthDefinition { Type = "CUSTOM_AUTH", Props = new Dictionary<string, PieceProp> { ["api_key"] = new() { Type = "SECRET_TEXT" } } }],
        });
        await source.OAuthProviders.UpsertAsync(new OAuthProvider
        {
            Name = "idp-" + u, AuthorizeUrl = "https://idp.example.com/authorize", TokenUrl = "https://idp.example.com/token", Scopes = ["read"],
        });
        await source.OAuthApps.UpsertAsync(new UpsertOAuthAppRequest { PieceName = Piece, ClientId = "client-" + u, ClientSecret = secret + "-app" });
        var definitionKey = "crm-" + u;
        await source.ConnectionDefinitions.UpsertAsync(new UpsertConnectionDefinitionRequest
        {
            StableKey = definitionKey,
            DisplayName = "Acme CRM",
            PieceName = Piece,
            Type = ConnectionType.CustomAuth,
            Credentials = DefinitionCredentials.Customer,
            GlobalValues = new JsonObject { ["props"] = new JsonObject { ["base_url"] = "https://crm.example.com", ["partner_secret"] = secret } },
        });
        await source.ConnectionDefinitions.SetTestValueAsync(definitionKey, new DefinitionTestValueRequest
        {
            Value = new CustomAuthValue(new JsonObject { ["api_key"] = secret + "-test" }),
        });
        return (definitionKey, secret);
    }

    private static List<string> Keys(IEnumerable<SyncItem> items) => items.Select(i => $"{i.Kind} {i.Key}").Order(StringComparer.Ordinal).ToList();

    private static List<string> Keys(IEnumerable<SyncChange> changes) => changes.Select(c => $"{c.Kind} {c.Key}").Order(StringComparer.Ordinal).ToList();
}
