using System.Text.Json.Nodes;

namespace Plugboard.Pieces.Tests;

public sealed class ConnectionReferenceTests
{
    [Theory]
    [InlineData("{{connections['gelato_org_1']}}", "gelato_org_1", "")]
    [InlineData("{{connections[\"gelato_org_1\"]}}", "gelato_org_1", "")]
    [InlineData("{{connections.gelato_org_1}}", "gelato_org_1", "")]
    [InlineData("{{ connections['x'] }}", "x", "")]
    [InlineData("{{connections['x'].access_token}}", "x", "access_token")]
    [InlineData("{{connections['x'].props.api_key}}", "x", "props/api_key")]
    [InlineData("{{connections.x.props.api_key}}", "x", "props/api_key")]
    [InlineData("{{connections['x']['props'][\"api_key\"]}}", "x", "props/api_key")]
    [InlineData("{{connections['x'].scopes[1]}}", "x", "scopes/1")]
    [InlineData("{{connections['a.b c/d']}}", "a.b c/d", "")]
    public void ParseWhole_ReferenceForms_GiveKeyAndPath(string text, string key, string path)
    {
        var reference = ConnectionReference.ParseWhole(text);

        Assert.NotNull(reference);
        Assert.Equal(key, reference.Key);
        Assert.Equal(path, string.Join('/', reference.Path));
    }

    [Theory]
    [InlineData("connections['x']")]
    [InlineData("{{connections}}")]
    [InlineData("{{connections['']}}")]
    [InlineData("{{trigger.items}}")]
    [InlineData("Bearer {{connections['x']}}")]
    [InlineData("{{connections['x']}} and {{connections['y']}}")]
    [InlineData("{{connections['x'}}")]
    public void ParseWhole_NotExactlyOneReference_IsNull(string text) =>
        Assert.Null(ConnectionReference.ParseWhole(text));

    [Fact]
    public void FindAll_ReferencesInsideText_FoundInOrderWithPositions()
    {
        const string text = "key={{connections['a'].props.k}}&user={{ connections.b.username }}&{{step_1.output}}";

        var found = ConnectionReference.FindAll(text).ToList();

        Assert.Equal(["a", "b"], found.Select(f => f.Reference.Key));
        Assert.Equal("{{connections['a'].props.k}}", text.Substring(found[0].Index, found[0].Length));
        Assert.Equal("{{ connections.b.username }}", text.Substring(found[1].Index, found[1].Length));
    }

    [Fact]
    public void Select_PathInsideValue_GivesNodeOrNull()
    {
        var value = JsonNode.Parse("""{"type":"OAUTH2","access_token":"at","data":{"scopes":["r","w"]}}""")!;

        Assert.Equal("at", ConnectionReference.ParseWhole("{{connections['x'].access_token}}")!.Select(value)!.GetValue<string>());
        Assert.Equal("w", ConnectionReference.ParseWhole("{{connections['x'].data.scopes[1]}}")!.Select(value)!.GetValue<string>());
        Assert.Same(value, ConnectionReference.ParseWhole("{{connections['x']}}")!.Select(value));
        Assert.Null(ConnectionReference.ParseWhole("{{connections['x'].data.scopes[5]}}")!.Select(value));
        Assert.Null(ConnectionReference.ParseWhole("{{connections['x'].access_token.deeper}}")!.Select(value));
        Assert.Null(ConnectionReference.ParseWhole("{{connections['x'].props.api_key}}")!.Select(value));
    }
}
