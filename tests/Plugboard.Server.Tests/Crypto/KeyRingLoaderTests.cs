using System.Security.Cryptography;
using Plugboard.Server.Configuration;
using Plugboard.Server.Crypto;

namespace Plugboard.Server.Tests.Crypto;

public sealed class KeyRingLoaderTests
{
    private static string NewKeyText() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(EncryptionKey.Size));

    [Fact]
    public void Parse_SeveralKeys_FirstIsPrimaryAndAllDecrypt()
    {
        var (first, second) = (NewKeyText(), NewKeyText());

        var ring = KeyRingLoader.Parse($" {first} ,\n{second}\n", "test");

        Assert.Equal(2, ring.Keys.Count);
        Assert.Equal(EncryptionKey.FromMaterial(Convert.FromBase64String(first)).Id, ring.Primary.Id);
        Assert.True(ring.TryGet(EncryptionKey.FromMaterial(Convert.FromBase64String(second)).Id, out _));
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("%%%%")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=,???")]
    public void Parse_NotBase64_ThrowsStartupExceptionNamingTheSource(string text)
    {
        var error = Assert.Throws<StartupException>(() => KeyRingLoader.Parse(text, KeyRingLoader.EnvironmentVariable));

        Assert.Contains(KeyRingLoader.EnvironmentVariable, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void Parse_WrongLength_ThrowsStartupExceptionWithoutTheKey(int length)
    {
        var text = Convert.ToBase64String(RandomNumberGenerator.GetBytes(length));

        var error = Assert.Throws<StartupException>(() => KeyRingLoader.Parse($"{NewKeyText()},{text}", KeyRingLoader.EnvironmentVariable));

        Assert.Contains(KeyRingLoader.EnvironmentVariable, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(text, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" , ,\n")]
    public void Parse_NoKey_ThrowsStartupException(string text)
    {
        Assert.Throws<StartupException>(() => KeyRingLoader.Parse(text, KeyRingLoader.EnvironmentVariable));
    }

    [Fact]
    public void FromMaterial_SameBytes_GivesTheSameEightHexId()
    {
        var material = RandomNumberGenerator.GetBytes(EncryptionKey.Size);

        var first = EncryptionKey.FromMaterial(material);
        var second = EncryptionKey.FromMaterial((byte[])material.Clone());
        var other = EncryptionKey.FromMaterial(RandomNumberGenerator.GetBytes(EncryptionKey.Size));

        Assert.Equal(first.Id, second.Id);
        Assert.NotEqual(first.Id, other.Id);
        Assert.Matches("^[0-9a-f]{8}$", first.Id);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(material))[..8], first.Id);
    }

    [Fact]
    public void FromMaterial_WrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => EncryptionKey.FromMaterial(new byte[16]));
    }
}
