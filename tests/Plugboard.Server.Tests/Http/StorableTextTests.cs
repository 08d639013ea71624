using Plugboard.Server.Http;

namespace Plugboard.Server.Tests.Http;

public sealed class StorableTextTests
{
    /// In code, not in attributes: attribute strings with a lone surrogate do not survive compilation intact.
    [Fact]
    public void IsStorable_NulOrLoneSurrogate_False()
    {
        foreach (var text in new[] { "plain", "😀 \udbff\udfff \uffff \u202e" })
        {
            Assert.True(StorableText.IsStorable(text), text);
        }
        foreach (var text in new[] { "a\u0000b", "\ud800", "x\udc00", "\udc00\ud800", "😀\ud83d" })
        {
            Assert.False(StorableText.IsStorable(text), Convert.ToHexString(System.Text.Encoding.Unicode.GetBytes(text)));
        }
    }

    [Fact]
    public void Clip_AtTheMiddleOfAPair_KeepsThePairOut()
    {
        var text = new string('x', 9) + "😀";

        Assert.Equal(new string('x', 9), StorableText.Clip(text, 10));
        Assert.Equal(text, StorableText.Clip(text, 11));
        Assert.Equal("xxx", StorableText.Clip(text, 3));
        Assert.True(StorableText.IsStorable(StorableText.Clip(text, 10)));
    }

    [Fact]
    public void Repair_LoneSurrogatesAndNul_BecomeReplacementCharacters()
    {
        Assert.Equal("a\ufffdb\ufffd😀\ufffd", StorableText.Repair("a\ud800b\u0000😀\udc00"));
        Assert.Equal("😀 ok", StorableText.Repair("😀 ok"));
    }
}
