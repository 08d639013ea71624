using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Plugboard.Testing.FakeOAuth;

/// Registered clients; a client registered with an empty secret is public and is not asked for one.
internal sealed class ClientRegistry
{
    private readonly ConcurrentDictionary<string, string> _secrets = new(StringComparer.Ordinal);

    public void Add(string clientId, string clientSecret) => _secrets[clientId] = clientSecret;

    public bool Exists(string? clientId) => clientId is not null && _secrets.ContainsKey(clientId);

    /// RFC 6749 §2.3.1: HTTP Basic when the header is there, otherwise client_id/client_secret in the form.
    public ClientAuthentication Authenticate(HttpRequest request, IFormCollection form)
    {
        var formClientId = FormValue(form, "client_id");
        if (BasicCredentials(request) is not { } basic)
        {
            var secret = FormValue(form, "client_secret");
            return Check(formClientId, [secret], scheme: null);
        }
        if (basic.ClientId is null || (formClientId is not null && formClientId != basic.ClientId))
        {
            return new ClientAuthentication(basic.ClientId ?? formClientId, "Basic", Succeeded: false);
        }
        return Check(basic.ClientId, [basic.Secret, WebUtility.UrlDecode(basic.Secret)], "Basic");
    }

    private ClientAuthentication Check(string? clientId, string?[] secretCandidates, string? scheme)
    {
        var succeeded = clientId is not null
            && _secrets.TryGetValue(clientId, out var expected)
            && (expected.Length == 0 || secretCandidates.Any(given => SecretMatches(expected, given)));
        return new ClientAuthentication(clientId, scheme, succeeded);
    }

    private static bool SecretMatches(string expected, string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));

    /// The header's parts are form-encoded per the RFC, but many clients send them raw; both are accepted.
    private (string? ClientId, string? Secret)? BasicCredentials(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            return (null, null);
        }
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return (null, null);
        }
        var (rawId, rawSecret) = (decoded[..colon], decoded[(colon + 1)..]);
        return (RawOrDecoded(rawId), rawSecret);
    }

    private string RawOrDecoded(string rawClientId) =>
        _secrets.ContainsKey(rawClientId) ? rawClientId : WebUtility.UrlDecode(rawClientId);

    private static string? FormValue(IFormCollection form, string key) =>
        form.TryGetValue(key, out var value) && value.Count > 0 ? value.ToString() : null;
}

internal readonly record struct ClientAuthentication(string? ClientId, string? Scheme, bool Succeeded);
