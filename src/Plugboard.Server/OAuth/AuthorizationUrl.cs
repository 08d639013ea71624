using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Plugboard.Server.OAuth;

public sealed record AuthorizationUrlRequest(
    string? PieceName,
    string? ClientId,
    string? RedirectUrl,
    string? PieceVersion = null,
    string? ProjectId = null,
    Dictionary<string, string>? Props = null,
    string? Provider = null,
    string[]? Scopes = null,
    string? AuthorizeUrl = null,
    string? State = null,
    bool? Pkce = null);

/// codeVerifier goes back as value.code_challenge on upsert (the reference's name for the verifier).
public sealed record AuthorizationUrlResponse(string AuthorizationUrl, string? CodeVerifier, string State);

/// Builds the provider's consent URL (reference §5.4), with PKCE S256 unless the provider says otherwise.
/// The state is random and returned to the caller, which checks it on the redirect (nothing is stored here).
public static class AuthorizationUrl
{
    public static (AuthorizationUrlResponse? Result, string? Error, string? Field) Build(AuthorizationUrlRequest request, OAuthProvider provider)
    {
        var props = request.Props ?? [];
        var (baseUrl, urlError) = UrlTemplate.Fill(request.AuthorizeUrl ?? provider.AuthorizeUrl, props, provider.DefaultProps);
        if (urlError is not null)
        {
            return (null, urlError, "props");
        }
        if (string.IsNullOrEmpty(baseUrl) || !Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return (null, $"authorizeUrl is required (an absolute URL): provider {provider.Name} has none of its own.", "authorizeUrl");
        }
        var (scope, scopeError) = UrlTemplate.Fill(string.Join(provider.ScopeSeparator, request.Scopes ?? provider.Scopes), props, provider.DefaultProps);
        if (scopeError is not null)
        {
            return (null, scopeError, "props");
        }
        var state = request.State ?? RandomToken(24);
        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = request.ClientId,
            ["redirect_uri"] = request.RedirectUrl,
            ["access_type"] = "offline",
            ["state"] = state,
            ["prompt"] = "consent",
            ["scope"] = scope,
        };
        foreach (var (key, value) in provider.AuthorizeParams)
        {
            query[key] = value == "omit" ? null : value;
        }
        string? verifier = null;
        if (request.Pkce ?? provider.Pkce)
        {
            verifier = RandomToken(32)[..43];
            var s256 = provider.PkceMethod == "S256";
            query["code_challenge"] = s256 ? Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) : verifier;
            query["code_challenge_method"] = s256 ? "S256" : "plain";
        }
        var url = QueryHelpers.AddQueryString(baseUrl, query.Where(p => !string.IsNullOrEmpty(p.Value)));
        return (new AuthorizationUrlResponse(url, verifier, state), null, null);
    }

    private static string RandomToken(int bytes) => Base64Url(RandomNumberGenerator.GetBytes(bytes));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
