using System.Text.Json.Nodes;

namespace Plugboard.Pieces.Tests;

public sealed class MetadataTests
{
    [Fact]
    public void ToMetadata_ContractExample_IsExactlyTheRegistryBody()
    {
        var piece = new Piece
        {
            Name = "@acme/piece-gelato",
            Version = "0.1.0",
            DisplayName = "Gelato",
            Description = "Ice cream flavors.",
            Auth =
            [
                PieceAuth.CustomAuth("Gelato API", new Dictionary<string, PieceProp>
                {
                    ["api_key"] = PieceProp.SecretText("API key", required: true, pattern: "^gel_"),
                    ["region"] = PieceProp.StaticDropdown("Region", ["eu", "us"]),
                    ["sandbox"] = PieceProp.Checkbox("Sandbox"),
                    ["limit"] = PieceProp.Number("Limit"),
                }, description: "Your Gelato API key"),
                PieceAuth.SecretText("API key"),
                PieceAuth.BasicAuth("Login", required: false),
                PieceAuth.OAuth2("Google", ["a", "b"], provider: "google",
                    authUrl: "https://accounts.example/auth", tokenUrl: "https://accounts.example/token", pkce: true),
            ],
            Actions =
            [
                new PieceAction
                {
                    Name = "listFlavors",
                    DisplayName = "List flavors",
                    Description = "Lists the flavors.",
                    Props = new Dictionary<string, PieceProp>
                    {
                        ["limit"] = PieceProp.Number("Limit"),
                        ["notes"] = PieceProp.LongText("Notes", description: "Free text"),
                        ["filter"] = PieceProp.Json("Filter"),
                        ["name"] = PieceProp.ShortText("Name", required: true),
                    },
                    Run = _ => Task.FromResult<JsonNode?>(null),
                },
            ],
            Triggers =
            [
                new PieceTrigger
                {
                    Name = "newFlavorCreated",
                    DisplayName = "New flavor created",
                    Description = "Triggers when a new flavor is created.",
                    RequireAuth = false,
                    Props = new Dictionary<string, PieceProp>
                    {
                        ["dropdown"] = PieceProp.Dropdown("Dropdown", _ => Task.FromResult(new DropdownOptions([])), required: true),
                    },
                    SampleData = new JsonObject { ["id"] = "f1" },
                    Run = _ => Task.FromResult(new JsonArray()),
                },
            ],
        };

        const string expected = """
            {"name":"@acme/piece-gelato","version":"0.1.0","displayName":"Gelato","description":"Ice cream flavors.","logoUrl":null,
             "auth":[
              {"type":"CUSTOM_AUTH","displayName":"Gelato API","description":"Your Gelato API key","required":true,
               "props":{"api_key":{"displayName":"API key","type":"SECRET_TEXT","required":true,"pattern":"^gel_"},
                        "region":{"displayName":"Region","type":"STATIC_DROPDOWN","required":false,"options":["eu","us"]},
                        "sandbox":{"displayName":"Sandbox","type":"CHECKBOX","required":false},
                        "limit":{"displayName":"Limit","type":"NUMBER","required":false}}},
              {"type":"SECRET_TEXT","displayName":"API key","required":true},
              {"type":"BASIC_AUTH","displayName":"Login","required":false},
              {"type":"OAUTH2","displayName":"Google","required":true,"provider":"google","authUrl":"https://accounts.example/auth",
               "tokenUrl":"https://accounts.example/token","scope":["a","b"],"pkce":true}],
             "actions":[{"name":"listFlavors","displayName":"List flavors","description":"Lists the flavors.","requireAuth":true,
               "props":{"limit":{"displayName":"Limit","type":"NUMBER","required":false},
                        "notes":{"displayName":"Notes","type":"LONG_TEXT","required":false,"description":"Free text"},
                        "filter":{"displayName":"Filter","type":"JSON","required":false},
                        "name":{"displayName":"Name","type":"SHORT_TEXT","required":true}}}],
             "triggers":[{"name":"newFlavorCreated","displayName":"New flavor created","description":"Triggers when a new flavor is created.",
               "type":"POLLING","requireAuth":false,
               "props":{"dropdown":{"displayName":"Dropdown","type":"DROPDOWN","required":true}}}]}
            """;
        // Compared as text, so the order of the properties counts too. SampleData is not in the contract's body.
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), piece.ToMetadata().ToJsonString());
    }

    [Fact]
    public void ToMetadata_PieceWithNothing_HasEmptyListsAndNulls()
    {
        var piece = new Piece { Name = "@acme/piece-empty", Version = "1.0.0-beta.2", DisplayName = "Empty" };

        Assert.Equal(
            """{"name":"@acme/piece-empty","version":"1.0.0-beta.2","displayName":"Empty","description":null,"logoUrl":null,"auth":[],"actions":[],"triggers":[]}""",
            piece.ToMetadata().ToJsonString());
    }

    [Fact]
    public void ToMetadata_TwoActionsOfOneName_Throws()
    {
        PieceAction Echo() => new() { Name = "echo", DisplayName = "Echo", Run = _ => Task.FromResult<JsonNode?>(null) };
        var piece = new Piece { Name = "@acme/p", Version = "0.1.0", DisplayName = "P", Actions = [Echo(), Echo()] };

        var error = Assert.Throws<InvalidOperationException>(() => piece.ToMetadata());
        Assert.Contains("'echo'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("v1.0.0")]
    [InlineData("1.0.0.0")]
    [InlineData("01.0.0")]
    [InlineData("1.0.0-")]
    [InlineData("")]
    public void Version_NotSemver_Throws(string version)
    {
        var error = Assert.Throws<ArgumentException>(() => new Piece { Name = "@acme/p", Version = version, DisplayName = "P" });
        Assert.Equal("Version", error.ParamName);
    }

    [Fact]
    public void Name_LongerThan200_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Piece { Name = new string('a', 201), Version = "0.1.0", DisplayName = "P" });
        Assert.Equal(200, new Piece { Name = new string('a', 200), Version = "0.1.0", DisplayName = "P" }.Name.Length);
    }

    [Fact]
    public void OAuth2_WithoutProviderNorBothUrls_Throws()
    {
        Assert.Throws<ArgumentException>(() => PieceAuth.OAuth2("G", ["a"], authUrl: "https://a.example/auth"));
        Assert.Equal("https://a.example/token", PieceAuth.OAuth2("G", ["a"], authUrl: "https://a.example/auth", tokenUrl: "https://a.example/token").TokenUrl);
    }

    [Fact]
    public void CustomAuth_WithDropdownProp_Throws()
    {
        var props = new Dictionary<string, PieceProp> { ["d"] = PieceProp.Dropdown("D", _ => Task.FromResult(new DropdownOptions([]))) };

        Assert.Throws<ArgumentException>(() => PieceAuth.CustomAuth("Custom", props));
    }

    [Fact]
    public void ToMetadata_AuthTypeListedTwice_Throws()
    {
        var piece = new Piece { Name = "@acme/p", Version = "0.1.0", DisplayName = "P", Auth = [PieceAuth.SecretText("A"), PieceAuth.SecretText("B")] };

        var error = Assert.Throws<InvalidOperationException>(() => piece.ToMetadata());
        Assert.Contains("SECRET_TEXT auth twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PropFactories_InvalidDefinitions_Throw()
    {
        Assert.Throws<ArgumentException>(() => PieceProp.StaticDropdown("Region", []));
        Assert.Throws<ArgumentException>(() => PieceProp.ShortText("Code", pattern: "[unclosed"));
        Assert.Throws<ArgumentException>(() => PieceProp.SecretText(" "));
    }
}
