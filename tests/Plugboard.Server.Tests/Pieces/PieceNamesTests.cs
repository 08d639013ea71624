using Plugboard.Server.Pieces;

namespace Plugboard.Server.Tests.Pieces;

public sealed class PieceNamesTests
{
    [Theory]
    [InlineData("@activepieces/piece-gelato")]
    [InlineData("@acme/piece-crm")]
    [InlineData("p")]
    [InlineData("piece.x_y~z-1")]
    [InlineData("@a/b")]
    [InlineData("-dash-first")]
    public void IsValid_NpmPackageName_True(string name) => Assert.True(PieceNames.IsValid(name));

    [Theory]
    [InlineData("ｆｕｚｚ")]
    [InlineData("Upper")]
    [InlineData("@Acme/x")]
    [InlineData(".x")]
    [InlineData("_x")]
    [InlineData("@acme/_x")]
    [InlineData("@_acme/x")]
    [InlineData("a b")]
    [InlineData("a/b")]
    [InlineData("@acme")]
    [InlineData("@acme/")]
    [InlineData("@acme/x/y")]
    [InlineData("x\n")]
    [InlineData("é")]
    [InlineData("a%2Fb")]
    public void IsValid_OtherName_False(string name) => Assert.False(PieceNames.IsValid(name));

    [Fact]
    public void IsValid_Length_214IsTheLimit()
    {
        Assert.True(PieceNames.IsValid(new string('a', 214)));
        Assert.False(PieceNames.IsValid(new string('a', 215)));
    }
}
