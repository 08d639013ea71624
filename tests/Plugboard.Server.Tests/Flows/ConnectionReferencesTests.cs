using System.Text.Json;
using System.Text.Json.Nodes;
using Plugboard.Server.Flows;

namespace Plugboard.Server.Tests.Flows;

public sealed class ConnectionReferencesTests
{
    [Theory]
    [InlineData("{{connections['slack_main']}}", new[] { "slack_main" })]
    [InlineData("{{connections[\"slack_main\"]}}", new[] { "slack_main" })]
    [InlineData("{{connections.slack_main}}", new[] { "slack_main" })]
    [InlineData("{{connections['gmail'].access_token}}", new[] { "gmail" })]
    [InlineData("{{connections.gmail.access_token}}", new[] { "gmail" })]
    [InlineData("{{connections['x']['data']['team']}}", new[] { "x" })]
    [InlineData("{{connections['a','b']}}", new[] { "a", "b" })]
    [InlineData("{{connections['a', \"b\" ,'c']}}", new[] { "a", "b", "c" })]
    [InlineData("{{ connections['spaced'] }}", new[] { "spaced" })]
    [InlineData("Bearer {{connections['one']}} and {{connections[\"two\"].token}}!", new[] { "one", "two" })]
    [InlineData("{{connections['with.dots-and:colons']}}", new[] { "with.dots-and:colons" })]
    [InlineData("{{connections[\"it's\"]}}", new[] { "it's" })]
    [InlineData("{{connections['gelato_(org)+1*']}}", new[] { "gelato_(org)+1*" })]
    public void InText_EveryReferenceForm_ExtractsTheExternalIds(string text, string[] expected)
    {
        Assert.Equal(expected, ConnectionReferences.InText(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain text")]
    [InlineData("{{connections['']}}")]
    [InlineData("{{connections[]}}")]
    [InlineData("{{connections['unclosed]}}")]
    [InlineData("{{trigger.body.connections}}")]
    [InlineData("{connections['single_braces']}")]
    [InlineData("{{steps.connections['x']}}")]
    public void InText_NoReference_ExtractsNothing(string text)
    {
        Assert.Empty(ConnectionReferences.InText(text));
    }

    [Fact]
    public void InJson_NestedObjectsAndArrays_FindsEveryStringsReferences()
    {
        var input = JsonDocument.Parse("""
            {
              "auth": "{{connections['top']}}",
              "headers": { "Authorization": "Bearer {{connections['nested'].access_token}}" },
              "list": [1, true, null, "{{connections.legacy}}", [ { "deep": "{{connections['a','b']}}" } ]],
              "{{connections['in_a_key']}}": "keys are not values"
            }
            """).RootElement;

        Assert.Equal(["top", "nested", "legacy", "a", "b"], ConnectionReferences.InJson(input));
    }

    [Theory]
    [InlineData("{{connections['old']}}", "{{connections['new']}}")]
    [InlineData("{{connections[\"old\"]}}", "{{connections[\"new\"]}}")]
    [InlineData("{{connections.old}}", "{{connections.new}}")]
    [InlineData("{{connections['old'].access_token}}", "{{connections['new'].access_token}}")]
    [InlineData("{{connections.old.data.team}}", "{{connections.new.data.team}}")]
    [InlineData("{{connections['keep','old']}}", "{{connections['keep','new']}}")]
    [InlineData("{{ connections['old'] }} + {{connections['older']}}", "{{ connections['new'] }} + {{connections['older']}}")]
    [InlineData("{{connections['older']}}", "{{connections['older']}}")]
    [InlineData("{{connections.older}}", "{{connections.older}}")]
    [InlineData("old {{steps.old}}", "old {{steps.old}}")]
    public void RewriteText_EveryForm_PointsAtTheTargetAndKeepsThePath(string text, string expected)
    {
        Assert.Equal(expected, ConnectionReferences.RewriteText(text, "old", "new"));
    }

    [Theory]
    [InlineData("{{connections.old.token}}", "new.id", "{{connections['new.id'].token}}")]
    [InlineData("{{connections['old']}}", "it's", "{{connections[\"it's\"]}}")]
    [InlineData("{{connections[\"old\"]}}", "say \"hi\"", "{{connections['say \"hi\"']}}")]
    [InlineData("{{connections['old']}}", "$1 \\1 (.*) ${x}", "{{connections['$1 \\1 (.*) ${x}']}}")]
    public void RewriteText_TargetThatDoesNotFitTheForm_SwitchesToAFormThatHoldsIt(string text, string to, string expected)
    {
        Assert.Equal(expected, ConnectionReferences.RewriteText(text, "old", to));
        Assert.Equal([to], ConnectionReferences.InText(expected));
    }

    [Fact]
    public void RewriteText_SourceWithRegexMetacharacters_IsMatchedLiterallyOnly()
    {
        const string source = "a.b*(c)";
        var text = "{{connections['a.b*(c)']}} {{connections['aXbbbc']}} {{connections['a.b*(c)'].x}}";

        var rewritten = ConnectionReferences.RewriteText(text, source, "target");

        Assert.Equal("{{connections['target']}} {{connections['aXbbbc']}} {{connections['target'].x}}", rewritten);
    }

    [Fact]
    public void RewriteJson_NestedStrings_AreRewrittenInPlaceAndOthersUntouched()
    {
        var node = JsonNode.Parse("""{"auth":"{{connections['old']}}","n":5,"deep":[{"x":"{{connections.old.token}}"},"{{connections['other']}}"]}""");

        Assert.True(ConnectionReferences.RewriteJson(node, "old", "new"));

        Assert.Equal("{{connections['new']}}", (string?)node!["auth"]);
        Assert.Equal(5, (int?)node["n"]);
        Assert.Equal("{{connections.new.token}}", (string?)node["deep"]![0]!["x"]);
        Assert.Equal("{{connections['other']}}", (string?)node["deep"]![1]);
        Assert.False(ConnectionReferences.RewriteJson(node, "old", "new"));
    }

    [Theory]
    [InlineData("plain", true)]
    [InlineData("it's", true)]
    [InlineData("say \"hi\"", true)]
    [InlineData("both ' and \"", false)]
    public void CanReference_OnlyIdsWithBothQuoteKindsAreUnwritable(string id, bool expected)
    {
        Assert.Equal(expected, ConnectionReferences.CanReference(id));
    }
}
