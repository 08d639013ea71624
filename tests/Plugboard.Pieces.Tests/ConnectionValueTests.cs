using System.Text.Json.Nodes;

namespace Plugboard.Pieces.Tests;

public sealed class ConnectionValueTests
{
    private static ConnectionValue Value(string json) => new("conn_1", JsonNode.Parse(json)!.AsObject());

    [Fact]
    public void Accessors_EachValueShape_GiveItsFields()
    {
        Assert.Equal("s3cret", Value("""{"type":"SECRET_TEXT","secret_text":"s3cret"}""").SecretText);
        var basic = Value("""{"type":"BASIC_AUTH","username":"ann","password":"pw"}""");
        Assert.Equal(("ann", "pw"), (basic.Username, basic.Password));
        var custom = Value("""{"type":"CUSTOM_AUTH","props":{"api_key":"k","limit":5,"sandbox":true}}""");
        Assert.Equal("CUSTOM_AUTH", custom.Type);
        Assert.Equal("k", custom.Prop("api_key"));
        Assert.Equal("5", custom.Prop("limit"));
        Assert.Equal("true", custom.Prop("sandbox"));
        Assert.Null(custom.Prop("base_url"));
        Assert.Equal(3, custom.Props.Count);
        var oauth = Value("""{"type":"OAUTH2","access_token":"at","refresh_token":"(REDACTED)","data":{}}""");
        Assert.Equal("at", oauth.AccessToken);
        Assert.Empty(oauth.Props);
        Assert.Equal("NO_AUTH", Value("""{"type":"NO_AUTH"}""").Type);
    }

    [Fact]
    public void Accessor_FieldOfAnotherType_ThrowsNamingFieldNotValue()
    {
        var custom = Value("""{"type":"CUSTOM_AUTH","props":{"api_key":"canary-77"}}""");

        var error = Assert.Throws<InvalidOperationException>(() => custom.SecretText);

        Assert.Equal("connection (conn_1) of type CUSTOM_AUTH has no secret_text.", error.Message);
    }

    [Fact]
    public void ToString_NamesTheConnectionNeverTheSecret()
    {
        var value = Value("""{"type":"SECRET_TEXT","secret_text":"canary-77"}""");

        Assert.Equal("connection (conn_1, SECRET_TEXT)", value.ToString());
        Assert.DoesNotContain("canary-77", $"{value}", StringComparison.Ordinal);
    }
}
