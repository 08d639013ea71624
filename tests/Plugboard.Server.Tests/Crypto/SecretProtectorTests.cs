using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Plugboard.Server.Crypto;

namespace Plugboard.Server.Tests.Crypto;

public sealed partial class SecretProtectorTests
{
    private const string Secret = """{"type":"SECRET_TEXT","secret_text":"xoxb-very-secret-token"}""";
    private static readonly SecretContext Context = new("platformA", "connection1", "value");

    private static EncryptionKey NewKey() => EncryptionKey.FromMaterial(RandomNumberGenerator.GetBytes(EncryptionKey.Size));

    private static SecretProtector Protector(params EncryptionKey[] keys) => new(new KeyRing(keys));

    [GeneratedRegex("^v1:(?<id>[0-9a-f]{8}):(?<nonce>[A-Za-z0-9+/]+={0,2}):(?<sealed>[A-Za-z0-9+/]+={0,2})$")]
    private static partial Regex V1Format();

    [Fact]
    public void Protect_ThenUnprotect_ReturnsThePlaintext()
    {
        var protector = Protector(NewKey());

        Assert.Equal(Secret, protector.Unprotect(protector.Protect(Secret, Context), Context));
        Assert.Equal("", protector.Unprotect(protector.Protect("", Context), Context));
        Assert.Equal("ünïcødé ✓", protector.Unprotect(protector.Protect("ünïcødé ✓", Context), Context));
    }

    [Fact]
    public void Protect_AnyPlaintext_IsV1KeyIdNonceSealedWithoutThePlaintext()
    {
        var key = NewKey();
        var ciphertext = Protector(key).Protect(Secret, Context);

        var match = V1Format().Match(ciphertext);
        Assert.True(match.Success, ciphertext);
        Assert.Equal(key.Id, match.Groups["id"].Value);
        Assert.Equal(12, Convert.FromBase64String(match.Groups["nonce"].Value).Length);
        Assert.Equal(Encoding.UTF8.GetByteCount(Secret) + 16, Convert.FromBase64String(match.Groups["sealed"].Value).Length);
        Assert.DoesNotContain("xoxb-very-secret-token", ciphertext, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret))[..16], ciphertext, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("xoxb-very-secret-token"))[..16], ciphertext, StringComparison.Ordinal);
    }

    [Fact]
    public void Protect_SamePlaintextTenThousandTimes_GivesDistinctNoncesAndCiphertexts()
    {
        var protector = Protector(NewKey());

        var ciphertexts = Enumerable.Range(0, 10_000).Select(_ => protector.Protect(Secret, Context)).ToList();

        Assert.Equal(ciphertexts.Count, ciphertexts.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(ciphertexts.Count, ciphertexts.Select(c => c.Split(':')[2]).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(ciphertexts.Count, ciphertexts.Select(c => c.Split(':')[3]).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Unprotect_AnySingleByteOfNonceOrSealedFlipped_ThrowsSecretDecryptionException()
    {
        var protector = Protector(NewKey());
        var parts = protector.Protect(Secret, Context).Split(':');
        var nonce = Convert.FromBase64String(parts[2]);
        var sealedBytes = Convert.FromBase64String(parts[3]);

        foreach (var (bytes, index) in new[] { (nonce, 2), (sealedBytes, 3) })
        {
            for (var position = 0; position < bytes.Length; position++)
            {
                foreach (byte mask in new byte[] { 0x01, 0x80, 0xFF })
                {
                    var tampered = (byte[])bytes.Clone();
                    tampered[position] ^= mask;
                    var mutated = (string[])parts.Clone();
                    mutated[index] = Convert.ToBase64String(tampered);
                    Assert.Throws<SecretDecryptionException>(() => protector.Unprotect(string.Join(':', mutated), Context));
                }
            }
        }
    }

    [Fact]
    public void Unprotect_AnySingleCharacterChanged_ThrowsSecretDecryptionException()
    {
        var protector = Protector(NewKey());
        var ciphertext = protector.Protect(Secret, Context);

        for (var position = 0; position < ciphertext.Length; position++)
        {
            foreach (var replacement in "A/:=z")
            {
                if (ciphertext[position] == replacement)
                {
                    continue;
                }
                var mutated = string.Concat(ciphertext.AsSpan(0, position), replacement.ToString(), ciphertext.AsSpan(position + 1));
                if (DecodesIdentically(ciphertext, mutated))
                {
                    // Only the unused low bits of a final base64 character changed: the bytes are the same.
                    continue;
                }
                Assert.Throws<SecretDecryptionException>(() => protector.Unprotect(mutated, Context));
            }
        }
    }

    [Fact]
    public void Unprotect_TruncatedOrMalformed_ThrowsSecretDecryptionException()
    {
        var protector = Protector(NewKey());
        var ciphertext = protector.Protect(Secret, Context);

        foreach (var bad in new[] { "", "v1", ciphertext[..^4], ciphertext + ":extra", "v2" + ciphertext[2..], ciphertext.Replace("v1:", "", StringComparison.Ordinal) })
        {
            Assert.Throws<SecretDecryptionException>(() => protector.Unprotect(bad, Context));
        }
    }

    [Theory]
    [InlineData("platformB", "connection1", "value")]
    [InlineData("platformA", "connection2", "value")]
    [InlineData("platformA", "connection1", "refresh")]
    [InlineData("platformAconnection1", "", "value")]
    public void Unprotect_MovedToAnotherContext_ThrowsSecretDecryptionException(string platformId, string entityId, string field)
    {
        var protector = Protector(NewKey());
        var ciphertext = protector.Protect(Secret, Context);

        Assert.Throws<SecretDecryptionException>(() => protector.Unprotect(ciphertext, new SecretContext(platformId, entityId, field)));
    }

    [Fact]
    public void Unprotect_RingWithOldKey_ReadsOldCiphertextWhileNewOnesUseThePrimary()
    {
        var (oldKey, newKey) = (NewKey(), NewKey());
        var oldCiphertext = Protector(oldKey).Protect(Secret, Context);
        var rotated = Protector(newKey, oldKey);

        var fresh = rotated.Protect(Secret, Context);

        Assert.Equal(Secret, rotated.Unprotect(oldCiphertext, Context));
        Assert.StartsWith($"v1:{newKey.Id}:", fresh, StringComparison.Ordinal);
        Assert.Equal(oldKey.Id, SecretProtector.KeyIdOf(oldCiphertext));
        Assert.Equal(Secret, Protector(newKey).Unprotect(fresh, Context));
    }

    [Fact]
    public void Unprotect_UnknownKeyId_NamesTheKeyIdButNotThePlaintext()
    {
        var oldKey = NewKey();
        var ciphertext = Protector(oldKey).Protect(Secret, Context);

        var error = Assert.Throws<SecretDecryptionException>(() => Protector(NewKey()).Unprotect(ciphertext, Context));

        Assert.Contains(oldKey.Id, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("xoxb", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ciphertext.Split(':')[3], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unprotect_SameIdButWrongMaterial_ThrowsWithoutThePlaintext()
    {
        var key = NewKey();
        var ciphertext = Protector(key).Protect(Secret, Context);
        var impostor = new EncryptionKey(key.Id, RandomNumberGenerator.GetBytes(EncryptionKey.Size));

        var error = Assert.Throws<SecretDecryptionException>(() => Protector(impostor).Unprotect(ciphertext, Context));

        Assert.DoesNotContain("xoxb", error.Message, StringComparison.Ordinal);
    }

    private static bool DecodesIdentically(string original, string mutated)
    {
        var (a, b) = (original.Split(':'), mutated.Split(':'));
        if (a.Length != b.Length)
        {
            return false;
        }
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] == b[i])
            {
                continue;
            }
            if (i < 2)
            {
                return false;
            }
            try
            {
                if (!Convert.FromBase64String(a[i]).AsSpan().SequenceEqual(Convert.FromBase64String(b[i])))
                {
                    return false;
                }
            }
            catch (FormatException)
            {
                return false;
            }
        }
        return true;
    }
}
