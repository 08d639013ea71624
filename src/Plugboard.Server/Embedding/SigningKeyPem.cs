using System.Security.Cryptography;

namespace Plugboard.Server.Embedding;

/// RSA keys as PEM: a registered public key is checked (RSA, at least 2048 bits, public only); a
/// generated pair gives the private key back once and keeps the public one.
public static class SigningKeyPem
{
    public const int MaxLength = 8192;
    public const int MinBits = 2048;

    /// The normalised SPKI PEM of `pem`, or the reason it is not an acceptable RSA public key.
    public static (string? Pem, string? Problem) ReadPublic(string pem)
    {
        if (pem.Length > MaxLength)
        {
            return (null, $"publicKey is longer than {MaxLength} characters.");
        }
        if (pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            return (null, "publicKey holds a private key: register the public key only (-----BEGIN PUBLIC KEY-----).");
        }
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return rsa.KeySize < MinBits
                ? (null, $"publicKey is a {rsa.KeySize}-bit RSA key; at least {MinBits} bits are required.")
                : (rsa.ExportSubjectPublicKeyInfoPem(), null);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return (null, "publicKey must be an RSA public key in PEM (-----BEGIN PUBLIC KEY-----).");
        }
    }

    public static (string PublicPem, string PrivatePem) Generate()
    {
        using var rsa = RSA.Create(MinBits);
        return (rsa.ExportSubjectPublicKeyInfoPem(), rsa.ExportPkcs8PrivateKeyPem());
    }
}
