using System.Text;
using Plugboard.Server.Http;

namespace Plugboard.Server.Tests.Http;

public sealed class JsonBodyScanTests
{
    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"a":"\ud83d\ude00","b":"😀","c":"\u0001\u202e\uffff\udbff\udfff"}""")]
    [InlineData("""{"\ud83d\ude00":[1,2,{"x":null}]}""")]
    [InlineData("\uFEFF{\"a\":1}")]
    [InlineData("""  {"a":1e400, "b":-0, "c":99999999999999999999999}  """)]
    public void Check_StorableJson_Passes(string json) =>
        Assert.Null(JsonBodyScan.Check(Encoding.UTF8.GetBytes(json), requireObject: true));

    [Theory]
    [InlineData("""{"a":"\ud800"}""", "a")]
    [InlineData("""{"a":"\udfff"}""", "a")]
    [InlineData("""{"a":"\ud800\ud800"}""", "a")]
    [InlineData("""{"a":"\udc00\ud800"}""", "a")]
    [InlineData("""{"a":"x\ud83d"}""", "a")]
    [InlineData("""{"a":[1,"\ud800"]}""", "a[1]")]
    [InlineData("""{"a":[{"b":[0,1,{"c":"\ud800"}]}]}""", "a[0].b[2].c")]
    [InlineData("""{"a":{"\ud800":1}}""", "a")]
    [InlineData("""{"\ud800":1}""", null)]
    [InlineData("""{"a":1,"\ud800":1}""", null)]
    [InlineData("""{"a":{"b":1,"\udc00":2}}""", "a")]
    [InlineData("""{"a":[{"b":1},{"c":1,"\u0000":2}]}""", "a[1]")]
    [InlineData("""{"a":"\u0000"}""", "a")]
    [InlineData("""{"a":{"b\u0000":1}}""", "a")]
    public void Check_LoneSurrogateOrNul_NamesThePath(string json, string? field)
    {
        var error = JsonBodyScan.Check(Encoding.UTF8.GetBytes(json), requireObject: true);

        Assert.NotNull(error);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal(field, error.Params.GetValueOrDefault("field"));
    }

    [Fact]
    public void Check_Depth_ThirtyTwoBelowTheBodyPassesThirtyThreeFails()
    {
        Assert.Null(JsonBodyScan.Check(Encoding.UTF8.GetBytes($$"""{"m":{{Nested(32)}}}"""), requireObject: true));

        var error = JsonBodyScan.Check(Encoding.UTF8.GetBytes($$"""{"m":{{Nested(33)}}}"""), requireObject: true);

        Assert.NotNull(error);
        Assert.Equal("m" + string.Concat(Enumerable.Repeat("[0]", 32)), error.Params["field"]);
    }

    [Fact]
    public void Check_NestingFarPastTheReaderLimit_IsADepthErrorNotAnException()
    {
        var error = JsonBodyScan.Check(Encoding.UTF8.GetBytes($$"""{"m":{{Nested(5000)}}}"""), requireObject: true);

        Assert.NotNull(error);
        Assert.Contains("32 levels", error.Params["message"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "The request body is required: send a JSON object.")]
    [InlineData("  \r\n", "The request body is required: send a JSON object.")]
    [InlineData("[]", "The request body must be a JSON object, not an array.")]
    [InlineData("{\"a\":1}{", "The request body is not valid JSON.")]
    [InlineData("{\"a\":1,}", "The request body is not valid JSON: it breaks in a.")]
    [InlineData("{\"a\":[1,}", "The request body is not valid JSON: it breaks in a[0].")]
    public void Check_NotAJsonObject_SaysWhat(string json, string message) =>
        Assert.Equal(message, JsonBodyScan.Check(Encoding.UTF8.GetBytes(json), requireObject: true)?.Params["message"]);

    private static string Nested(int levels) => new string('[', levels) + new string(']', levels);
}
