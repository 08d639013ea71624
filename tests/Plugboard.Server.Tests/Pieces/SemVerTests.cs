using Plugboard.Server.Pieces;

namespace Plugboard.Server.Tests.Pieces;

public sealed class SemVerTests
{
    [Theory]
    [InlineData("0.1.0")]
    [InlineData("10.20.30")]
    [InlineData("1.0.0-alpha.1")]
    [InlineData("1.0.0+build.5")]
    public void Parse_SemanticVersion_Succeeds(string text) => Assert.NotNull(SemVer.Parse(text));

    [Theory]
    [InlineData("1.0")]
    [InlineData("v1.0.0")]
    [InlineData("01.0.0")]
    [InlineData("1.0.0-")]
    [InlineData("")]
    [InlineData("latest")]
    public void Parse_NotASemanticVersion_IsNull(string text) => Assert.Null(SemVer.Parse(text));

    [Fact]
    public void CompareTo_Precedence_FollowsSemver()
    {
        var ordered = new[] { "0.9.0", "0.10.0-alpha", "0.10.0-alpha.2", "0.10.0-alpha.10", "0.10.0-beta", "0.10.0", "0.10.1", "1.0.0" };
        var shuffled = ordered.Reverse().Select(v => SemVer.Parse(v)!).Order().Select(v => v.ToString());
        Assert.Equal(ordered, shuffled);
    }

    [Theory]
    [InlineData("0.10.3", "0.10.3", true)]
    [InlineData("0.10.3", "0.10.2", false)]
    [InlineData("0.10.3", "~0.10.0", true)]
    [InlineData("0.11.0", "~0.10.0", false)]
    [InlineData("1.4.0", "^1.2.0", true)]
    [InlineData("2.0.0", "^1.2.0", false)]
    [InlineData("0.3.0", "^0.2.0", false)]
    [InlineData("0.2.5", "^0.2.0", true)]
    [InlineData("1.1.0", "^1.2.0", false)]
    public void Satisfies_ExactCaretTilde_MatchesLikeNpm(string version, string range, bool expected) =>
        Assert.Equal(expected, SemVer.Parse(version)!.Satisfies(range));
}
