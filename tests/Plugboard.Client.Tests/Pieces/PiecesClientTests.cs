using System.Net;
using Plugboard.Client.Tests.Infrastructure;

namespace Plugboard.Client.Tests.Pieces;

public sealed class PiecesClientTests(Servers servers)
{
    private static PieceMetadata Metadata(string name, string version, string displayName = "Acme CRM") => new()
    {
        Name = name,
        Version = version,
        DisplayName = displayName,
        Description = "Customers and deals",
        LogoUrl = "https://cdn.example.com/crm.png",
        Auth =
        [
            new PieceAuthDefinition
            {
                Type = "CUSTOM_AUTH",
                DisplayName = "API key",
                Required = true,
                BaseUrl = "https://api.crm.example.com",
                Headers = new Dictionary<string, string> { ["X-Api-Key"] = "{{props.api_key}}" },
                Props = new Dictionary<string, PieceProp>
                {
                    ["api_key"] = new() { DisplayName = "API key", Type = "SECRET_TEXT", Required = true },
                    ["region"] = new() { Type = "STATIC_DROPDOWN", Options = ["eu", "us"] },
                },
            },
        ],
        Actions = [new PieceOperation { Name = "create_deal", DisplayName = "Create deal", RequireAuth = true, Props = new Dictionary<string, PieceProp> { ["title"] = new() { Type = "SHORT_TEXT", Required = true } } }],
        Triggers = [new PieceOperation { Name = "new_deal", Type = "POLLING" }],
    };

    [Fact]
    public async Task RegisterGetList_VersionsRoundTripAndTheLatestWins()
    {
        var client = (await servers.SqliteAsync()).Client();
        var name = $"@sdk-{Guid.NewGuid():N}/piece-crm";

        var first = await client.Pieces.RegisterAsync(Metadata(name, "1.0.0"));
        await client.Pieces.RegisterAsync(Metadata(name, "1.1.0"));
        var replaced = await client.Pieces.RegisterAsync(Metadata(name, "1.0.0", displayName: "Acme CRM (old)"));
        var latest = await client.Pieces.GetAsync(name);
        var exact = await client.Pieces.GetAsync(name, "1.0.0");
        var range = await client.Pieces.GetAsync(name, "^1.0.0");
        var summary = Assert.Single((await client.Pieces.ListAsync()).Data, p => p.Name == name);

        var auth = Assert.Single(first.Auth);
        Assert.Equal(("CUSTOM_AUTH", "SECRET_TEXT", "https://api.crm.example.com"), (auth.Type, auth.Props!["api_key"].Type, auth.BaseUrl));
        Assert.Equal(["eu", "us"], auth.Props["region"].Options!);
        Assert.Equal(("create_deal", "POLLING"), (Assert.Single(first.Actions).Name, Assert.Single(first.Triggers).Type));
        Assert.Equal("Acme CRM (old)", replaced.DisplayName);
        Assert.Equal(first.Created, replaced.Created, TimeSpan.FromMilliseconds(1));
        Assert.Equal(("1.1.0", "1.0.0", "1.1.0"), (latest.Version, exact.Version, range.Version));
        Assert.Equal("Acme CRM (old)", exact.DisplayName);
        Assert.Equal("1.1.0", summary.LatestVersion);
        Assert.Equal(["1.1.0", "1.0.0"], summary.Versions);
    }

    [Fact]
    public async Task Get_UnknownPieceOrVersion_Is404EntityNotFound()
    {
        var client = (await servers.SqliteAsync()).Client();
        var name = $"@sdk-{Guid.NewGuid():N}/piece-crm";
        await client.Pieces.RegisterAsync(Metadata(name, "1.0.0"));

        var unknownPiece = await Assert.ThrowsAsync<PlugboardApiException>(() => client.Pieces.GetAsync(name + "-none"));
        var unknownVersion = await Assert.ThrowsAsync<PlugboardApiException>(() => client.Pieces.GetAsync(name, "2.0.0"));

        Assert.Equal((HttpStatusCode.NotFound, "ENTITY_NOT_FOUND"), (unknownPiece.StatusCode, unknownPiece.Code));
        Assert.Equal((HttpStatusCode.NotFound, "ENTITY_NOT_FOUND"), (unknownVersion.StatusCode, unknownVersion.Code));
    }

    [Theory]
    [InlineData("one", "CUSTOM_AUTH", "version")]
    [InlineData("1.0.0", "NOPE", "auth[0].type")]
    public async Task Register_BadMetadata_Is400ValidationNamingTheField(string version, string authType, string field)
    {
        var client = (await servers.SqliteAsync()).Client();
        var metadata = Metadata($"@sdk-{Guid.NewGuid():N}/piece-crm", version) with
        {
            Auth = [new PieceAuthDefinition { Type = authType }],
        };

        var error = await Assert.ThrowsAsync<PlugboardApiException>(() => client.Pieces.RegisterAsync(metadata));

        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION", field), (error.StatusCode, error.Code, error.Params["field"].GetString()));
    }
}
